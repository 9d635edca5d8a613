from django.urls import path

from . import views

app_name = "social"
urlpatterns = [
    path("works/<int:work_id>/kudos", views.kudos_create, name="kudos-create"),
    path("works/<int:work_id>/bookmarks", views.work_bookmarks, name="work-bookmarks"),
    path("works/<int:work_id>/bookmarks/new", views.bookmark_new, name="bookmark-new"),
    path("series/<int:series_id>/bookmarks", views.series_bookmarks, name="series-bookmarks"),
    path(
        "series/<int:series_id>/bookmarks/new",
        views.series_bookmark_new,
        name="series-bookmark-new",
    ),
    path("bookmarks", views.bookmark_index, name="bookmark-index"),
    path("bookmarks/<int:bookmark_id>/edit", views.bookmark_edit, name="bookmark-edit"),
    path("bookmarks/<int:bookmark_id>/delete", views.bookmark_delete, name="bookmark-delete"),
    path("users/<str:login>/bookmarks", views.user_bookmarks, name="user-bookmarks"),
    path("works/<int:work_id>/mark_for_later", views.mark_for_later, name="mark-for-later"),
    path("works/<int:work_id>/mark_as_read", views.mark_as_read, name="mark-as-read"),
    path("users/<str:login>/readings", views.user_readings, name="user-readings"),
    path("users/<str:login>/readings/clear", views.readings_clear, name="readings-clear"),
    path(
        "users/<str:login>/readings/<int:reading_id>/delete",
        views.reading_delete,
        name="reading-delete",
    ),
    path("users/<str:login>/subscriptions", views.user_subscriptions, name="user-subscriptions"),
    path(
        "users/<str:login>/subscriptions/delete_all",
        views.subscriptions_delete_all,
        name="subscriptions-delete-all",
    ),
    path(
        "users/<str:login>/subscriptions/<int:subscription_id>/delete",
        views.subscription_delete,
        name="subscription-delete",
    ),
    path("works/<int:work_id>/comments", views.comment_create, name="comment-create"),
    path("works/<int:work_id>/comments/new", views.comment_create, name="comment-new"),
    path(
        "works/<int:work_id>/comments/unreviewed",
        views.unreviewed_comments_page,
        name="unreviewed-comments",
    ),
    path("comments/<int:comment_id>", views.comment_show, name="comment-show"),
    path("comments/<int:comment_id>/new", views.comment_reply, name="comment-reply"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment-delete"),
    path("comments/<int:comment_id>/freeze", views.comment_freeze, name="comment-freeze"),
    path("comments/<int:comment_id>/unfreeze", views.comment_unfreeze, name="comment-unfreeze"),
    path("comments/<int:comment_id>/approve", views.comment_approve, name="comment-approve"),
    path("users/<str:login>/inbox", views.user_inbox, name="user-inbox"),
    path("users/<str:login>/inbox/update", views.inbox_update, name="inbox-update"),
]
