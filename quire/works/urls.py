from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("works", views.work_index, name="work-index"),
    path("works/new", views.work_new, name="work-new"),
    path("works/<int:work_id>", views.work_show, name="work-show"),
    path("works/<int:work_id>/navigate", views.work_navigate, name="work-navigate"),
    path("works/<int:work_id>/edit", views.work_edit, name="work-edit"),
    path("works/<int:work_id>/preview", views.work_preview, name="work-preview"),
    path("works/<int:work_id>/post", views.work_post, name="work-post"),
    path("works/<int:work_id>/confirm_delete", views.work_delete, name="work-delete"),
    path("works/<int:work_id>/chapters/new", views.chapter_new, name="chapter-new"),
    path("works/<int:work_id>/chapters/manage", views.chapters_manage, name="chapters-manage"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", views.chapter_show, name="chapter-show"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        views.chapter_edit,
        name="chapter-edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post",
        views.chapter_post,
        name="chapter-post",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/confirm_delete",
        views.chapter_delete,
        name="chapter-delete",
    ),
    path("chapters/<int:chapter_id>", views.chapter_redirect, name="chapter-redirect"),
    path("users/<str:login>/works", views.user_works, name="user-works"),
    path("users/<str:login>/works/drafts", views.user_drafts, name="user-drafts"),
    path("users/<str:login>/pseuds/<str:pseud>/works", views.pseud_works, name="pseud-works"),
    path("languages/<str:code>/works", views.language_works, name="language-works"),
    path("series/<int:series_id>", views.series_show, name="series-show"),
    path("series/<int:series_id>/edit", views.series_edit, name="series-edit"),
]
