from django.contrib import admin

from .models import ActivityEntry


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    """The activity log, read-only: entries are written by the actions they record."""

    list_display = ["created_at", "actor", "action", "target_label", "subject"]
    list_filter = ["action"]
    search_fields = ["target_label", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
