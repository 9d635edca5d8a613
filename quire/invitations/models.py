"""Invitations to sign up while the archive is invitation-only (AO3-INVENTORY §1.7), and the
queue of visitors asking for one."""

import secrets

from django.conf import settings
from django.db import models

# 20 URL-safe characters: unguessable, and short enough to read out or paste.
TOKEN_BYTES = 15


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Invitation(models.Model):
    """One sign-up: made by staff releasing the queue (creator empty) or held by a user to
    share (creator that user), sent to an address, redeemed once by the account it made."""

    token = models.CharField(max_length=40, unique=True, default=new_token)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invitee_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation_redeemed",
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["creator", "redeemed_at"])]

    def __str__(self) -> str:
        return f"Invitation {self.token[:6]}…"

    @property
    def redeemed(self) -> bool:
        return self.redeemed_at is not None


class InviteRequest(models.Model):
    """A visitor's place in the queue for an invitation. The place is the count of requests
    made before it, so it moves up as the queue is released."""

    email = models.EmailField(unique=True)  # stored lower-cased: one request per address
    created_at = models.DateTimeField(auto_now_add=True)
    # Keyed hash of the requester's address (social.visitors.hash_ip), never the address.
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.email
