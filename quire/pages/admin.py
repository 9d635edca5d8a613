from django.contrib import admin

from .models import RulePage, RuleVersion, SiteSettings, TermsAcceptance


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """Read-only here: staff change settings at /staff/settings, which sanitizes the banner
    and writes the activity log."""

    list_display = ["__str__", "signups", "guest_comments", "downloads", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    extra = 0
    fields = ["number", "change_note", "needs_acceptance", "created_by", "created_at"]
    readonly_fields = ["number", "change_note", "needs_acceptance", "created_by", "created_at"]


@admin.register(RulePage)
class RulePageAdmin(admin.ModelAdmin):
    list_display = ["slug", "title"]
    inlines = [RuleVersionInline]


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "accepted_at"]
    raw_id_fields = ["user"]
