"""Reads of moderation."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from quire.accounts.models import User
from quire.lib.numbers import bounded_int
from quire.social.models import Comment
from quire.social.visitors import hash_ip

from .models import ActivityEntry, Hiding


def log_for(target: models.Model) -> QuerySet[ActivityEntry]:
    """The staff actions on one target, newest first."""
    return ActivityEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")


def log_about(user: User) -> QuerySet[ActivityEntry]:
    """The staff actions about one account (on it, or on anything of theirs), newest first."""
    return ActivityEntry.objects.filter(subject=user).select_related("actor")


@dataclass
class StaffComments:
    """The comments the staff comments page lists, and what it was asked for."""

    comments: QuerySet[Comment]
    filters: dict[str, str]
    error: str = ""


def staff_comments(params) -> StaffComments:
    """Comments for staff, newest first, hidden and spammers' included: by one user
    (?user=<login>), on one work (?work=<id>), or by guests from one address (?ip=, matched
    through social's keyed hash, the only form the address is kept in). An unknown login or
    a bad number lists nothing, with the reason."""
    comments = Comment.objects.filter(deleted=False).select_related(
        "pseud__user", "user", "work", "chapter"
    )
    filters: dict[str, str] = {}
    login = (params.get("user") or "").strip()[:100]
    if login:
        filters["user"] = login
        user = User.objects.filter(username__iexact=login).first()
        if user is None:
            return StaffComments(Comment.objects.none(), filters, f"No user is called {login}.")
        comments = comments.filter(user=user)
    work = (params.get("work") or "").strip()
    if work:
        filters["work"] = work
        work_id = bounded_int(work, low=1)
        if work_id is None:
            return StaffComments(Comment.objects.none(), filters, "The work must be a number.")
        comments = comments.filter(work_id=work_id.value)
    ip = (params.get("ip") or "").strip()[:64]
    if ip:
        filters["ip"] = ip
        comments = comments.filter(user__isnull=True, ip_hash=hash_ip(ip))
    return StaffComments(comments.order_by("-created_at", "-id"), filters)


def hiding_of(target: models.Model) -> Hiding | None:
    """Why `target` is hidden (None when staff did not hide it)."""
    return Hiding.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).first()


HIDINGS_SHOWN = 50


def hidings_about(user: User) -> list[Hiding]:
    """What staff hid of `user`'s (and have not shown again), newest first, each with its
    `target` loaded (one query per kind): the list on their dashboard."""
    return list(
        Hiding.objects.filter(subject=user)
        .order_by("-created_at", "-pk")
        .prefetch_related("target")[:HIDINGS_SHOWN]
    )
