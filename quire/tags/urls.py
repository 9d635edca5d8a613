from django.urls import path

from .views import pages as views

app_name = "tags"
urlpatterns = [
    path("tags/<str:tag>", views.tag_show, name="tag-show"),
    path("tags/<str:tag>/works", views.tag_works, name="tag-works"),
]
