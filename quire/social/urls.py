from django.urls import path

from . import views

app_name = "social"
urlpatterns = [
    path("works/<int:work_id>/kudos", views.kudos_create, name="kudos-create"),
    path("works/<int:work_id>/bookmarks", views.work_bookmarks, name="work-bookmarks"),
    path("works/<int:work_id>/bookmarks/new", views.bookmark_new, name="bookmark-new"),
    path("bookmarks", views.bookmark_index, name="bookmark-index"),
    path("bookmarks/<int:bookmark_id>/edit", views.bookmark_edit, name="bookmark-edit"),
    path("bookmarks/<int:bookmark_id>/delete", views.bookmark_delete, name="bookmark-delete"),
    path("users/<str:login>/bookmarks", views.user_bookmarks, name="user-bookmarks"),
]
