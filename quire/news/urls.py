from django.urls import path

from . import views

app_name = "news"

# AO3's paths: /admin_posts, /admin_posts/:id (AO3-INVENTORY §3). AO3's own feed is RSS at
# /admin_posts.rss; ours is Atom, named as the saved searches' feeds are.
urlpatterns = [
    path("admin_posts", views.post_index, name="post-index"),
    path("admin_posts/feed.atom", views.post_feed, name="post-feed"),
    path("admin_posts/new", views.post_new, name="post-new"),
    path("admin_posts/<int:post_id>", views.post_show, name="post-show"),
    path("admin_posts/<int:post_id>/edit", views.post_edit, name="post-edit"),
    path("admin_posts/<int:post_id>/delete", views.post_delete, name="post-delete"),
    path("admin_posts/<int:post_id>/comments", views.comment_create, name="comment-create"),
    path(
        "admin_posts/<int:post_id>/comments/<int:comment_id>",
        views.comment_show,
        name="comment-show",
    ),
    path(
        "admin_posts/<int:post_id>/comments/<int:comment_id>/reply",
        views.comment_reply,
        name="comment-reply",
    ),
    path(
        "admin_posts/<int:post_id>/comments/<int:comment_id>/delete",
        views.comment_delete,
        name="comment-delete",
    ),
]
