from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .actions import do_create_default_pseud
from .models import Preference, Pseud, User


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "is_default", "description"]


@admin.register(User)
class QuireUserAdmin(UserAdmin):
    inlines = [PseudInline]
    list_display = ["username", "email", "is_staff", "is_wrangler", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_wrangler", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Archive roles", {"fields": ["is_wrangler"]}))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inline pseuds are saved, so a default pseud typed in the add form stays the
        # only one; an account added with none gets one named after its login.
        do_create_default_pseud(form.instance)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "view_adult", "disable_work_skins"]
    raw_id_fields = ["user"]
