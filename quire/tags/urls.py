from django.urls import path

from .views import pages as views

app_name = "tags"
urlpatterns = [
    path("tags", views.tag_search, name="tag-search"),
    path("tags/<str:tag>", views.tag_show, name="tag-show"),
    path("tags/<str:tag>/works", views.tag_works, name="tag-works"),
    path("media", views.media_index, name="media-index"),
    path("media/<str:media>/fandoms", views.medium_fandoms, name="medium-fandoms"),
    path("fandoms", views.fandom_index, name="fandom-index"),
    path("autocomplete/<str:tag_type>", views.autocomplete, name="autocomplete"),
]
