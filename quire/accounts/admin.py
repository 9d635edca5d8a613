from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from quire.lib import limits

from .actions import do_create_default_pseud
from .models import PastUsername, Preference, Pseud, User
from .ratelimit import TOO_MANY, login_refused, record_login_failure


class AdminLoginForm(AdminAuthenticationForm):
    """/admin/login/, under the same failed-login limits as the site's login form."""

    def clean(self):
        login = self.cleaned_data.get("username") or ""
        if self.request is None:  # the admin site always passes it; for the type checker
            return super().clean()
        try:  # every post, per address and per login (AO3: 10 in 5 minutes each)
            limits.hit("admin_login", limits.address_key(self.request), login)
        except limits.RateLimited as limited:
            raise ValidationError(limited.message, code="rate_limited") from None
        if login and login_refused(self.request, login):
            raise ValidationError(TOO_MANY, code="too_many_attempts")
        try:
            return super().clean()
        except ValidationError:
            if login and self.user_cache is None:  # wrong credentials, not "not staff"
                record_login_failure(self.request, login)
            raise


admin.site.login_form = AdminLoginForm


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
