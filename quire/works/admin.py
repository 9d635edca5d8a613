from django import forms
from django.contrib import admin

from quire.moderation.actions import do_hide, do_unhide

from .models import Chapter, Language, Series, Work


class WorkAdminForm(forms.ModelForm):
    """Hiding from the admin is staff's hiding (moderation.actions.do_hide): it needs the
    reason the creator is told, and is logged like the one-click hide on the site's pages."""

    reason = forms.CharField(
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it is hidden (or shown again): the creator is told, and it is logged.",
    )

    class Meta:
        model = Work
        fields = ["hidden_by_admin"]

    def clean(self):
        cleaned = super().clean() or {}
        hiding = cleaned.get("hidden_by_admin") and not self.initial.get("hidden_by_admin")
        if hiding and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Please say why: the creator is told.")
        return cleaned


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
    form = WorkAdminForm
    fields = ["hidden_by_admin", "reason", *readonly_fields]

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("reason") or "").strip()
        was_hidden = bool(form.initial.get("hidden_by_admin"))
        if obj.hidden_by_admin and not was_hidden:
            do_hide(request.user, obj, reason)
        elif was_hidden and not obj.hidden_by_admin:
            do_unhide(request.user, obj, reason)

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
    list_display = ["title", "complete", "hidden_by_admin", "updated_at"]
    search_fields = ["title"]
    # Staff hide a series from its page (moderation's hide form: reason, log, e-mail).
    readonly_fields = ["hidden_by_admin"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
