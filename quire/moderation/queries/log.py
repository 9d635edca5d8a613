"""Reads of the activity log."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from quire.accounts.models import User

from ..models import ActivityEntry


def log_for(target: models.Model) -> QuerySet[ActivityEntry]:
    """The staff actions on one target, newest first."""
    return ActivityEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")


def log_about(user: User) -> QuerySet[ActivityEntry]:
    """The staff actions about one account (on it, or on anything of theirs), newest first."""
    return ActivityEntry.objects.filter(subject=user).select_related("actor")


def activity_log(*, actor: User | None = None, action: str = "") -> QuerySet[ActivityEntry]:
    """The whole log, newest first, narrowed to one actor and/or one action."""
    entries = ActivityEntry.objects.select_related("actor", "subject")
    if actor is not None:
        entries = entries.filter(actor=actor)
    if action:
        entries = entries.filter(action=action)
    return entries


def logged_actions() -> list[str]:
    """The actions the log holds, for the filter's menu."""
    return sorted(ActivityEntry.objects.values_list("action", flat=True).distinct())
