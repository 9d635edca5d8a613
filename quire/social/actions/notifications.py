"""The batch that delivers subscription notices (the send_notifications task, hourly, and
`manage.py send_notifications`): each subscriber's pending notices become ONE e-mail (when
their preference allows) and are delivered to their inbox.

Exactly once under overlapping batches: a batch claims the pending notices of a round of
subscribers with one `UPDATE ... SET batch = <its id> WHERE user IN (...) AND batch = ''`
(writers serialize on the rows: PostgreSQL re-checks the condition after waiting for a
competing claim, SQLite has one writer), and only the batch whose id is on the rows reads,
mails and delivers them. A claim abandoned by a crashed batch is taken again after
CLAIM_LEASE; a batch whose mail fails gives that subscriber's claim back at once. Nothing is
held locked while the mail server is talking.

Nothing leaks: each notice is re-checked at send time against visible_works(subscriber) (less
works by users the subscriber muted: notifiable_works), the subscriber's current
subscriptions (unsubscribing drops what was waiting) and, for a creator's subscribers, the
work's anonymity; the rest are deleted unsent.
"""

import html
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import task

from quire.accounts.models import Preference
from quire.lib.site import site_url
from quire.works.models import Creatorship, Work

from ..models import NoticeEvent, Subscription, SubscriptionNotice
from ..queries.subscriptions import creators_text, describe, notifiable_works

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=30)
SUBSCRIBERS_PER_ROUND = 200


@dataclass
class BatchResult:
    subscribers: int = 0  # who had something delivered
    delivered: int = 0  # notices delivered to inboxes
    emails: int = 0
    dropped: int = 0  # notices no longer allowed (visibility, unsubscribed, anonymity)
    failed: list[int] = field(default_factory=list)  # subscribers whose mail failed


def do_send_notifications(*, subscribers_per_round: int = SUBSCRIBERS_PER_ROUND) -> BatchResult:
    """Deliver every pending notice: per subscriber, claim, re-check, mail once, deliver.

    Works in rounds of `subscribers_per_round` subscribers, so the reads cost a few queries a
    round rather than a few per subscriber. Safe to run late, twice or concurrently (see the
    module docstring). A subscriber whose mail fails keeps their notices pending (the claim is
    given back) for the next batch; the error is logged and the others are still served.
    """
    batch = uuid.uuid4().hex
    result = BatchResult()
    while True:
        now = timezone.now()
        user_ids = list(
            _pending(now)
            .exclude(user_id__in=result.failed)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:subscribers_per_round]
        )
        if not user_ids:
            return result
        _claim(user_ids, batch, now)
        _deliver_round(batch, user_ids, result)


def _pending(now: datetime):
    return SubscriptionNotice.objects.filter(delivered_at__isnull=True).filter(
        Q(batch="") | Q(claimed_at__lt=now - CLAIM_LEASE)
    )


def _claim(user_ids: list[int], batch: str, now: datetime, *, attempts: int = 3) -> None:
    """Each subscriber's pending notices all go to whichever batch's UPDATE reaches them
    first; a competing batch re-checks `batch = ''` after waiting, and skips them. Batches
    pick their subscribers in one order, so they lock rows in one order; should PostgreSQL
    still find a deadlock, it undoes one UPDATE, which is simply tried again."""
    for attempt in range(attempts):
        try:
            _pending(now).filter(user_id__in=user_ids).update(batch=batch, claimed_at=now)
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise


def _deliver_round(batch: str, user_ids: list[int], result: BatchResult) -> None:
    """Re-check, mail and deliver what this batch claimed for these subscribers. Each one's
    notices are marked delivered right after their mail goes, so a crash resends at most one
    subscriber's mail (after CLAIM_LEASE)."""
    notices = list(
        SubscriptionNotice.objects.filter(
            batch=batch, user_id__in=user_ids, delivered_at__isnull=True
        )
        .select_related("user", "work", "chapter", "series")
        .order_by("user_id", "created_at", "id")
    )
    if not notices:
        return
    works = {notice.work_id: notice.work for notice in notices}
    for notice in notices:
        notice.work = works[notice.work_id]  # one instance per work, creators loaded once
    _load_creators(list(works.values()))
    subscribed = _subscriptions(notices)
    email_off = set(
        Preference.objects.filter(user_id__in=user_ids, subscription_emails=False).values_list(
            "user_id", flat=True
        )
    )
    by_user: dict[int, list[SubscriptionNotice]] = {}
    for notice in notices:
        by_user.setdefault(notice.user_id, []).append(notice)
    dropped: list[int] = []
    for user_id, own in by_user.items():
        user = own[0].user
        keep = _still_wanted(user, own, subscribed.get(user_id, set()))
        kept = {notice.pk for notice in keep}
        dropped.extend(notice.pk for notice in own if notice.pk not in kept)
        if not keep:
            continue
        emailed_at = None
        try:
            if user.is_active and user.email and user_id not in email_off:
                notification_message(user, keep).send()
                emailed_at = timezone.now()
        except Exception:
            logger.exception("Subscription notices for user %s not sent", user_id)
            SubscriptionNotice.objects.filter(pk__in=kept, batch=batch).update(
                batch="", claimed_at=None
            )
            result.failed.append(user_id)
            continue
        SubscriptionNotice.objects.filter(pk__in=kept, batch=batch).update(
            delivered_at=timezone.now(), emailed_at=emailed_at
        )
        result.emails += emailed_at is not None
        result.subscribers += 1
        result.delivered += len(keep)
    if dropped:
        SubscriptionNotice.objects.filter(pk__in=dropped, batch=batch).delete()
        result.dropped += len(dropped)


def _subscriptions(notices: list[SubscriptionNotice]) -> dict[int, set[tuple]]:
    """Each subscriber's current subscriptions that could ask for these notices, as
    (kind, target id) pairs: one query for the round."""
    works = {notice.work_id: notice.work for notice in notices}
    creator_ids = {uid for work in works.values() for uid in _creator_ids(work)}
    series_ids = {notice.series_id for notice in notices if notice.series_id}
    rows = (
        Subscription.objects.filter(user_id__in={notice.user_id for notice in notices})
        .filter(
            Q(work_id__in=list(works))
            | Q(series_id__in=series_ids)
            | Q(target_user_id__in=creator_ids)
        )
        .values_list("user_id", "work_id", "series_id", "target_user_id")
    )
    subscribed: dict[int, set[tuple]] = {}
    for user_id, work_id, series_id, target_user_id in rows:
        if work_id:
            key = (Subscription.WORK, work_id)
        elif series_id:
            key = (Subscription.SERIES, series_id)
        else:
            key = (Subscription.USER, target_user_id)
        subscribed.setdefault(user_id, set()).add(key)
    return subscribed


def _still_wanted(
    user, notices: list[SubscriptionNotice], subscribed: set[tuple]
) -> list[SubscriptionNotice]:
    """The notices `user` may still be told of: the work visible to them now (asked of
    visible_works(user), one query), the chapter still posted, and a subscription that still
    asks for it (`subscribed`, from _subscriptions)."""
    work_ids = list({notice.work_id for notice in notices})
    visible = set(notifiable_works(user).filter(pk__in=work_ids).values_list("pk", flat=True))
    keep = []
    for notice in notices:
        work = notice.work
        if work.pk not in visible:
            continue
        if notice.event == NoticeEvent.CHAPTER:
            wanted = (
                notice.chapter is not None
                and notice.chapter.posted
                and (Subscription.WORK, work.pk) in subscribed
            )
        else:
            by_creator = not work.anonymous and any(
                (Subscription.USER, uid) in subscribed for uid in _creator_ids(work)
            )
            wanted = by_creator or (Subscription.SERIES, notice.series_id) in subscribed
            if not by_creator and notice.event == NoticeEvent.WORK:
                notice.event = NoticeEvent.SERIES  # told through the series alone now
        if wanted:
            keep.append(notice)
    return keep


def _load_creators(works: list[Work]) -> None:
    prefetch_related_objects(
        works,
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.select_related("pseud__user").order_by("position", "id"),
        ),
    )


def _creator_ids(work: Work) -> list[int]:
    return [creatorship.pseud.user_id for creatorship in work.creatorships.all()]


# The e-mail


@dataclass
class Update:
    """One line of a notification e-mail (and of the inbox)."""

    notice: SubscriptionNotice
    creators: str
    headline: str  # "alice posted Chapter 2 of Title"
    url: str
    summary_text: str = ""  # a new work's summary as plain text, for the text part


def notification_message(user, notices: list[SubscriptionNotice]) -> EmailMultiAlternatives:
    """ONE message for all of `notices` (in order): AO3's subject for the first update, with
    "and N more" when there are others; plain text and HTML. Works need their creators
    loaded (_load_creators)."""
    site = site_url()
    updates = []
    for notice in notices:
        creators = creators_text(notice.work)
        headline, path = describe(notice, creators=creators)
        summary = "" if notice.chapter_id else html.unescape(strip_tags(notice.work.summary))
        updates.append(
            Update(
                notice=notice,
                creators=creators,
                headline=headline,
                url=site + path,
                summary_text=" ".join(summary.split()),
            )
        )
    subject = f"[{settings.SITE_NAME}] {updates[0].headline}"
    if len(updates) > 1:
        subject += f" and {len(updates) - 1} more"
    context = {
        "user": user,
        "updates": updates,
        "site_name": settings.SITE_NAME,
        "subscriptions_url": site + reverse("social:user-subscriptions", args=[user.username]),
        "preferences_url": site + reverse("accounts:preferences", args=[user.username]),
    }
    text = render_to_string("social/email/subscription_notices.txt", context)
    html_part = render_to_string("social/email/subscription_notices.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[user.email])
    message.attach_alternative(html_part, "text/html")
    return message


@task()
def send_notifications() -> int:
    """Deliver pending subscription notices: one e-mail per subscriber, and their inbox. Safe
    to run late, twice or concurrently (see above); returns how many were delivered."""
    return do_send_notifications().delivered
