"""Writes of moderation. No permission checks here: staff views check."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from quire.accounts.models import User

from ..models import ActivityEntry


def do_log(
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    *,
    subject: User | None = None,
    note: str = "",
) -> ActivityEntry:
    """Record a staff action. Call it inside the action's transaction, so an action that
    rolls back leaves no entry and one that commits always has one."""
    return ActivityEntry.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=str(target)[:300] if target is not None else "",
        subject=subject if subject is not None else (target if isinstance(target, User) else None),
        note=note,
    )
