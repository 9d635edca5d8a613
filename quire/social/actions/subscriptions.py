"""Writes of subscriptions, and the notices a posting records for their subscribers (sent
by the batch in notifications.py)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from quire.lib.periodic import claim_interval, deferred
from quire.works.models import Chapter, Creatorship, SerialWork, Series, Work
from quire.works.queries import ANY_REGISTERED_READER, visible_works

from ..models import NoticeEvent, Subscription, SubscriptionNotice
from .notifications import send_notifications


class SubscriptionError(Exception):
    """The subscription was refused; the message is for the reader."""


def do_subscribe(user, *, work: Work | None = None, series: Series | None = None, to_user=None):
    """Subscribe `user` to exactly one of a work, a series or another user; return
    (subscription, created). Subscribing twice returns the first subscription (the unique
    constraints decide, so two clicks racing make one row).

    The caller fetched the target through its access_* function and checked `user` is not
    one of the work's creators. Raises SubscriptionError for oneself; writes nothing then.
    """
    if sum(target is not None for target in (work, series, to_user)) != 1:
        raise ValueError("Subscribe to exactly one work, series or user.")
    if to_user is not None and to_user.pk == user.pk:
        raise SubscriptionError("You can't subscribe to yourself.")
    target = {"work": work, "series": series, "target_user": to_user}
    target = {name: value for name, value in target.items() if value is not None}
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, **target), True
    except IntegrityError:
        existing = Subscription.objects.filter(user=user, **target).first()
        if existing is None:
            raise
        return existing, False


def do_unsubscribe(subscription: Subscription) -> None:
    """Delete one subscription. Notices it already produced stay; those not yet sent are
    dropped by the next batch, which checks each against the subscriptions it still finds."""
    Subscription.objects.filter(pk=subscription.pk).delete()


def do_unsubscribe_all(user, *, kind: str | None = None) -> int:
    """Delete all of `user`'s subscriptions (or those of one kind: Subscription.WORK, SERIES
    or USER); returns how many went."""
    subscriptions = Subscription.objects.filter(user=user)
    if kind == Subscription.WORK:
        subscriptions = subscriptions.filter(work__isnull=False)
    elif kind == Subscription.SERIES:
        subscriptions = subscriptions.filter(series__isnull=False)
    elif kind == Subscription.USER:
        subscriptions = subscriptions.filter(target_user__isnull=False)
    deleted, _ = subscriptions.delete()
    return deleted


def do_record_new_work(work: Work) -> int:
    """Record notices of a work just posted (created posted, or a draft posted) for its
    creators' subscribers and its series' subscribers; returns how many were recorded.

    Called by works.actions inside the posting transaction, so the notices commit (or roll
    back) with the work; the sending batch is scheduled on commit. Nothing for a work no
    registered reader can list (hidden, in an unrevealed collection: the action that reveals
    it calls this again). An anonymous work tells its creators' subscribers nothing: that
    would reveal who wrote it. Creators are never told of their own work.
    """
    # Subqueries, not lists: one statement however many creators and series; and the
    # subscribers first, since most works have none and need no visibility check (imports
    # ask this of every work).
    creator_ids = Creatorship.objects.filter(work=work).values("pseud__user_id")
    wanted = Q(series_id__in=SerialWork.objects.filter(work=work).values("series_id"))
    # Anonymity is the one flag besides visibility that decides who may be told: whether a
    # reader can find the work is visible_works' question, who wrote it is this one.
    if not work.anonymous:
        wanted |= Q(target_user_id__in=creator_ids)
    rows = list(
        Subscription.objects.filter(wanted)
        .exclude(user_id__in=creator_ids)
        .values_list("user_id", "target_user_id", "series_id")
    )
    if not rows or not _listable(work):
        return 0
    notices: dict[int, SubscriptionNotice] = {}
    for user_id, target_user_id, series_id in rows:
        notice = notices.setdefault(
            user_id, SubscriptionNotice(user_id=user_id, event=NoticeEvent.SERIES, work=work)
        )
        if target_user_id:
            notice.event = NoticeEvent.WORK
        if series_id and notice.series_id is None:
            notice.series_id = series_id
    return _record(list(notices.values()))


def do_record_new_chapter(chapter: Chapter) -> int:
    """Record notices of a chapter just posted to a posted work for the work's subscribers;
    returns how many were recorded. Called by works.actions in the posting transaction, as
    do_record_new_work is; drafts (of the chapter or the work) tell nobody anything."""
    work = chapter.work
    if not (chapter.posted and work.posted) or not _listable(work):
        return 0
    creator_ids = _creator_user_ids(work)
    subscriber_ids = (
        Subscription.objects.filter(work=work)
        .exclude(user_id__in=creator_ids)
        .values_list("user_id", flat=True)
    )
    return _record(
        [
            SubscriptionNotice(
                user_id=user_id, event=NoticeEvent.CHAPTER, work=work, chapter=chapter
            )
            for user_id in subscriber_ids
        ]
    )


def do_record_series_addition(work: Work, series: Series) -> int:
    """Record notices of a posted work newly added to `series` for the series' subscribers
    (those who already heard of the work are not told again). Called by works.actions."""
    if not work.posted or not _listable(work):
        return 0
    creator_ids = _creator_user_ids(work)
    subscriber_ids = (
        Subscription.objects.filter(series=series)
        .exclude(user_id__in=creator_ids)
        .values_list("user_id", flat=True)
    )
    return _record(
        [
            SubscriptionNotice(user_id=user_id, event=NoticeEvent.SERIES, work=work, series=series)
            for user_id in subscriber_ids
        ]
    )


def _listable(work: Work) -> bool:
    return visible_works(ANY_REGISTERED_READER).filter(pk=work.pk).exists()


def _creator_user_ids(work: Work) -> list[int]:
    return list(
        Creatorship.objects.filter(work=work).values_list("pseud__user_id", flat=True).distinct()
    )


def _record(notices: list[SubscriptionNotice]) -> int:
    """Insert notices, skipping any the subscriber already has (the unique constraints), and
    queue the sending batch once the transaction commits."""
    if not notices:
        return 0
    SubscriptionNotice.objects.bulk_create(notices, ignore_conflicts=True)
    transaction.on_commit(schedule_notifications)
    return len(notices)


def schedule_notifications() -> None:
    """Queue the send_notifications task to run QUIRE_NOTIFICATIONS_SECONDS from now, at most
    once per interval (per cache): updates batch up until then, as flush_hits does. Called on
    commit, so a rolled-back posting schedules nothing. 0 queues nothing on its own (the
    `send_notifications` command, or cron, sends)."""
    if not claim_interval("notifications:send-scheduled", settings.NOTIFICATIONS_SECONDS):
        return
    deferred(send_notifications, settings.NOTIFICATIONS_SECONDS).enqueue()
