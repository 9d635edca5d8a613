"""Reads of invitations and the invitation queue."""

from django.db.models import QuerySet

from .models import Invitation, InviteRequest


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def queue_position(email: str) -> int | None:
    """The 1-based place of `email` in the queue, or None if it isn't queued."""
    request = InviteRequest.objects.filter(email=normalize_email(email)).first()
    if request is None:
        return None
    return InviteRequest.objects.filter(id__lte=request.id).count()


def queue_length() -> int:
    return InviteRequest.objects.count()


def queue_head(limit: int) -> QuerySet[InviteRequest]:
    return InviteRequest.objects.order_by("id")[:limit]


def usable_invitation(token: str) -> Invitation | None:
    """The unredeemed invitation with this token, else None (unknown and used look alike)."""
    if not token or len(token) > 40:
        return None
    return Invitation.objects.filter(token=token, redeemed_at__isnull=True).first()


def unused_invitations(user) -> QuerySet[Invitation]:
    """The codes `user` holds and may still share."""
    return Invitation.objects.filter(creator=user, redeemed_at__isnull=True).order_by("id")


def redeemed_invitations(user) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(creator=user, redeemed_at__isnull=False)
        .select_related("redeemed_by")
        .order_by("-redeemed_at")
    )
