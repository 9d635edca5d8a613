from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("works/search", views.work_search, name="work-search"),
    path("users/<str:login>/blocklist", views.blocklist, name="blocklist"),
    path(
        "users/<str:login>/blocklist/<int:entry_id>/delete",
        views.blocklist_remove,
        name="blocklist-remove",
    ),
    path("users/<str:login>/saved_searches", views.saved_search_list, name="saved-searches"),
    path(
        "users/<str:login>/saved_searches/<int:saved_id>/delete",
        views.saved_search_delete,
        name="saved-search-delete",
    ),
    path(
        "saved_searches/<int:saved_id>/feed.atom",
        views.saved_search_feed,
        name="saved-search-feed",
    ),
]
