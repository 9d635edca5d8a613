from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Archive roles", {"fields": ["is_wrangler"]}))


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "view_adult", "disable_work_skins"]
    raw_id_fields = ["user"]
