"""Writes of sanctions on users: a note, a warning, a suspension until a date, a ban, and
lifting them. The user's row holds what applies now (suspended_until, banned); a Sanction row
keeps each decision and its reason, which the user is told (except a staff note)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from quire.accounts.models import User
from quire.lib.periodic import deferred
from quire.lib.tasks import enqueue_on_commit

from ..mail import TOLD_TO_USER, send_on_commit
from ..models import Sanction, SanctionKind
from .log import do_log

LOG_ACTIONS = {
    SanctionKind.NOTE: "user_note",
    SanctionKind.WARNING: "user_warn",
    SanctionKind.SUSPENSION: "user_suspend",
    SanctionKind.BAN: "user_ban",
    SanctionKind.LIFT: "user_lift",
}


class SanctionError(ValueError):
    """The sanction cannot be applied as asked; the message is for the staff member."""


def do_sanction_user(
    user: User, kind: str, *, reason: str, by: User | None, until: datetime | None = None
) -> Sanction:
    """Record a sanction on `user` and apply it: a suspension sets suspended_until (a date
    in the future, required), a ban sets banned, a lift clears both. Logged; the user is
    e-mailed the reason on commit (not for a note). Raises SanctionError for a suspension
    without a future date."""
    kind = SanctionKind(kind)
    if kind == SanctionKind.SUSPENSION and (until is None or until <= timezone.now()):
        raise SanctionError("A suspension needs an end date in the future.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        fields = []
        if kind == SanctionKind.SUSPENSION:
            user.suspended_until = until
            fields = ["suspended_until"]
        elif kind == SanctionKind.BAN:
            user.banned = True
            fields = ["banned"]
        elif kind == SanctionKind.LIFT:
            user.suspended_until, user.banned = None, False
            fields = ["suspended_until", "banned"]
        if fields:
            user.save(update_fields=fields)
        sanction = Sanction.objects.create(
            user=user,
            kind=kind,
            reason=reason,
            until=until if kind == SanctionKind.SUSPENSION else None,
            by=by,
        )
        note = reason if until is None else f"until {until.isoformat()}: {reason}"
        do_log(by, LOG_ACTIONS[kind], user, note=note)
        if kind in TOLD_TO_USER:
            send_on_commit("sanction_notice", sanction)
        if until is not None and kind == SanctionKind.SUSPENSION:
            # The tidying runs at the date (where the task backend can defer; else at once,
            # finding nothing yet, and the `end_suspensions` command or the next one does it).
            seconds = int((until - timezone.now()).total_seconds()) + 1
            enqueue_on_commit(deferred(end_past_suspensions, seconds))
    return sanction


def do_end_past_suspensions(now: datetime | None = None) -> int:
    """Clear the suspensions whose date has passed and log "suspension_ended" for each. Only
    tidying: every check compares suspended_until with now, so a suspension has already
    stopped applying at its date. Safe to run twice or concurrently (the update re-checks)."""
    now = now or timezone.now()
    ended = 0
    past = User.objects.filter(suspended_until__lte=now).values_list("pk", flat=True)
    for pk in list(past[:1000]):
        with transaction.atomic():
            if User.objects.filter(pk=pk, suspended_until__lte=now).update(suspended_until=None):
                user = User.objects.get(pk=pk)
                do_log(None, "suspension_ended", user)
                ended += 1
    return ended


@task()
def end_past_suspensions() -> int:
    """The periodic cleanup (the `end_suspensions` command runs it from cron)."""
    return do_end_past_suspensions()
