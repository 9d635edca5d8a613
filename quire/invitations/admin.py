from django.contrib import admin

from .models import Invitation, InviteRequest


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("token", "creator", "invitee_email", "sent_at", "redeemed_by", "redeemed_at")
    search_fields = ("token", "invitee_email", "creator__username")
    raw_id_fields = ("creator", "redeemed_by")


@admin.register(InviteRequest)
class InviteRequestAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at")
    search_fields = ("email",)
