from django.contrib import admin

from .models import AbuseReport, ActivityEntry, Sanction, SupportTicket


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


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin):
    """Staff work reports at /staff/reports; the admin is for looking things up."""

    list_display = ["created_at", "summary", "category", "status", "assignee"]
    list_filter = ["status", "category"]
    search_fields = ["summary", "url", "email"]
    raw_id_fields = ["sender", "assignee"]


@admin.register(SupportTicket)
class SupportTicketAdmin(admin.ModelAdmin):
    list_display = ["created_at", "summary", "email", "status", "assignee"]
    list_filter = ["status"]
    search_fields = ["summary", "email"]
    raw_id_fields = ["sender", "assignee"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    """Sanctions are made at /staff/users/:login (which applies them to the account and
    logs them); here they are only read."""

    list_display = ["created_at", "user", "kind", "until", "by"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
