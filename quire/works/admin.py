from django.contrib import admin

from .actions import do_set_hidden_by_admin
from .models import Chapter, Language, Series, Work


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    """Read-mostly: works change through the archive's own pages, whose actions keep derived
    fields and cache versions right. Admins use this to find works and to hide them."""

    list_display = ["title", "posted", "restricted", "hidden_by_admin", "revised_at", "word_count"]
    list_filter = ["posted", "restricted", "hidden_by_admin", "complete"]
    search_fields = ["title"]
    readonly_fields = [
        field.name
        for field in Work._meta.get_fields()
        if field.concrete and not field.many_to_many and field.name != "hidden_by_admin"
    ]
    fields = ["hidden_by_admin", *readonly_fields]

    def save_model(self, request, obj, form, change):
        do_set_hidden_by_admin(obj, hidden=obj.hidden_by_admin)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["work", "position", "title", "posted", "word_count"]
    raw_id_fields = ["work"]
    readonly_fields = ["work", "position", "word_count", "posted", "published_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "complete", "updated_at"]
    search_fields = ["title"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
