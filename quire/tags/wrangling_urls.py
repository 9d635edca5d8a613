"""Wrangling pages (tag wranglers and admins only). Every path here is outside /tags/<tag>
but the edit page, which the public `tags/<str:tag>` route cannot capture (it has no slash)."""

from django.urls import path

from .views import wrangling as views

app_name = "wrangling"
urlpatterns = [
    path("wrangling", views.wrangling_index, name="index"),
    path("wrangling/unsorted", views.unsorted_bin, name="unsorted"),
    path("wrangling/history", views.history, name="history"),
    path("wrangling/fandoms/<str:tag>", views.fandom_wrangle, name="fandom-wrangle"),
    path("tags/<str:tag>/edit", views.tag_edit, name="tag-edit"),
]
