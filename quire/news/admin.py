from django.contrib import admin

from .models import NewsComment, NewsPost, NewsTag


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "author", "comments_allowed"]
    search_fields = ["title"]
    raw_id_fields = ["author"]
    # Staff write posts in the site (/admin_posts/new), where the body is sanitized and the
    # change logged; here they may only look.
    readonly_fields = ["title", "body", "author", "created_at", "updated_at", "published_at"]


@admin.register(NewsTag)
class NewsTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(NewsComment)
class NewsCommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "deleted"]
    raw_id_fields = ["post", "parent", "thread", "user", "pseud"]
    readonly_fields = ["content", "ip_hash"]
