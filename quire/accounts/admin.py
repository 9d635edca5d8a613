from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .actions import do_create_default_pseud
from .models import PastUsername, Preference, Pseud, User
from .permissions import staff_mfa_ok, staff_mfa_required


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """/admin/login/: Django's admin signs in through the site's own login, which asks staff
    for their authenticator app's code (and counts failures and rate limits like every other
    login). A guest is sent there; staff without the second factor set up, or signed in
    without it, are sent to set it up or to log in again (staff_mfa_required); staff who
    passed it go on to the page they asked for; anyone else finds no page here."""

    @staff_mfa_required
    def signed_in(request: HttpRequest) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise Http404("No such page.")
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        return redirect(target or "admin:index")

    return signed_in(request)


def admin_has_permission(request: HttpRequest) -> bool:
    """The admin opens for active staff whose session passed the second factor."""
    return bool(request.user.is_active and request.user.is_staff and staff_mfa_ok(request))


admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.has_permission = admin_has_permission  # type: ignore[method-assign]


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "is_default", "description", "icon", "icon_alt_text", "icon_comment"]
    # Icons are checked and resized on the way in (accounts/icons.py), which the admin skips.
    readonly_fields = ["icon"]


@admin.register(User)
class QuireUserAdmin(UserAdmin):
    inlines = [PseudInline]
    list_display = ["username", "email", "is_staff", "is_wrangler", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_wrangler", "is_active"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Archive roles", {"fields": ["is_wrangler"]}),
        ("Profile", {"fields": ["profile_title", "profile_about"]}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inline pseuds are saved, so a default pseud typed in the add form stays the
        # only one; an account added with none gets one named after its login.
        do_create_default_pseud(form.instance)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "view_adult", "disable_work_skins"]
    raw_id_fields = ["user"]


@admin.register(PastUsername)
class PastUsernameAdmin(admin.ModelAdmin):
    """Logins given up: each redirects to its account and is reserved while it exists."""

    list_display = ["username", "user", "changed_at"]
    search_fields = ["username", "user__username"]
    raw_id_fields = ["user"]
