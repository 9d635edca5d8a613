"""Wrangling pages (tag wranglers and admins only)."""

urlpatterns: list = []
