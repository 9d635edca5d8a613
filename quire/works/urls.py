from django.urls import path

from .views import chapters, series, works

app_name = "works"
urlpatterns = [
    path("works", works.work_index, name="work-index"),
    path("works/new", works.work_new, name="work-new"),
    path("works/<int:work_id>", works.work_show, name="work-show"),
    path("works/<int:work_id>/navigate", works.work_navigate, name="work-navigate"),
    path("works/<int:work_id>/edit", works.work_edit, name="work-edit"),
    path("works/<int:work_id>/preview", works.work_preview, name="work-preview"),
    path("works/<int:work_id>/post", works.work_post, name="work-post"),
    path("works/<int:work_id>/confirm_delete", works.work_delete, name="work-delete"),
    path("works/<int:work_id>/chapters/new", chapters.chapter_new, name="chapter-new"),
    path("works/<int:work_id>/chapters/manage", chapters.chapters_manage, name="chapters-manage"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>",
        chapters.chapter_show,
        name="chapter-show",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        chapters.chapter_edit,
        name="chapter-edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post",
        chapters.chapter_post,
        name="chapter-post",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/confirm_delete",
        chapters.chapter_delete,
        name="chapter-delete",
    ),
    path("chapters/<int:chapter_id>", chapters.chapter_redirect, name="chapter-redirect"),
    path("users/<str:login>/works", works.user_works, name="user-works"),
    path("users/<str:login>/works/drafts", works.user_drafts, name="user-drafts"),
    path("users/<str:login>/pseuds/<str:pseud>/works", works.pseud_works, name="pseud-works"),
    path("languages/<str:code>/works", works.language_works, name="language-works"),
    path("series/<int:series_id>", series.series_show, name="series-show"),
    path("series/<int:series_id>/edit", series.series_edit, name="series-edit"),
]
