"""The batch that delivers subscription notices (the send_notifications task, hourly, and
`manage.py send_notifications`): each subscriber's pending notices become ONE e-mail (when
their preference allows) and are delivered to their inbox.

Exactly once under overlapping batches: a batch claims a subscriber's pending notices with one
`UPDATE ... SET batch = <its id> WHERE user = ? AND batch = ''` (writers serialize on the rows:
PostgreSQL re-checks the condition after waiting for a competing claim, SQLite has one writer),
and only the batch whose id is on the rows reads, mails and delivers them. A claim abandoned
by a crashed batch is taken again after CLAIM_LEASE; a batch whose mail fails gives its claim
back at once. Nothing is held locked while the mail server is talking.

Nothing leaks: each notice is re-checked at send time against visible_works(subscriber), the
subscriber's current subscriptions (unsubscribing drops what was waiting) and, for a creator's
subscribers, the work's anonymity; the rest are deleted unsent.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from quire.accounts.models import Preference
from quire.works.models import Creatorship, Work
from quire.works.queries import visible_works

from .models import NoticeEvent, Subscription, SubscriptionNotice

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

    Safe to run late, twice or concurrently (see the module docstring). A subscriber whose
    mail fails keeps their notices pending (the claim is given back) for the next batch; the
    error is logged and the others are still served.
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
        for user_id in user_ids:
            if not _claim(user_id, batch, now):
                continue  # another batch has them
            try:
                _deliver(user_id, batch, result)
            except Exception:
                logger.exception("Subscription notices for user %s not sent", user_id)
                SubscriptionNotice.objects.filter(user_id=user_id, batch=batch).update(
                    batch="", claimed_at=None
                )
                result.failed.append(user_id)


def _pending(now: datetime):
    return SubscriptionNotice.objects.filter(delivered_at__isnull=True).filter(
        Q(batch="") | Q(claimed_at__lt=now - CLAIM_LEASE)
    )


def _claim(user_id: int, batch: str, now: datetime) -> int:
    return _pending(now).filter(user_id=user_id).update(batch=batch, claimed_at=now)


def _deliver(user_id: int, batch: str, result: BatchResult) -> None:
    notices = list(
        SubscriptionNotice.objects.filter(user_id=user_id, batch=batch, delivered_at__isnull=True)
        .select_related("user", "work", "chapter", "series")
        .order_by("created_at", "id")
    )
    if not notices:
        return
    user = notices[0].user
    keep = _still_wanted(user, notices)
    kept = {notice.pk for notice in keep}
    dropped = [notice.pk for notice in notices if notice.pk not in kept]
    if dropped:
        SubscriptionNotice.objects.filter(pk__in=dropped, batch=batch).delete()
        result.dropped += len(dropped)
    if not keep:
        return
    emailed_at = None
    if user.is_active and user.email and _wants_email(user):
        notification_message(user, keep).send()
        emailed_at = timezone.now()
        result.emails += 1
    SubscriptionNotice.objects.filter(pk__in=kept, batch=batch).update(
        delivered_at=timezone.now(), emailed_at=emailed_at
    )
    result.subscribers += 1
    result.delivered += len(keep)


def _still_wanted(user, notices: list[SubscriptionNotice]) -> list[SubscriptionNotice]:
    """The notices `user` may still be told of: the work visible to them now, the chapter
    still posted, and a subscription that still asks for it."""
    works = list({notice.work_id: notice.work for notice in notices}.values())
    _load_creators(works)
    work_ids = [work.pk for work in works]
    visible = set(visible_works(user).filter(pk__in=work_ids).values_list("pk", flat=True))
    creator_ids = {uid for work in works for uid in _creator_ids(work)}
    series_ids = {notice.series_id for notice in notices if notice.series_id}
    subscribed = set(
        Subscription.objects.filter(user=user)
        .filter(
            Q(work_id__in=work_ids)
            | Q(series_id__in=series_ids)
            | Q(target_user_id__in=creator_ids)
        )
        .values_list("work_id", "series_id", "target_user_id")
    )
    to_works = {work_id for work_id, _, _ in subscribed if work_id}
    to_series = {series_id for _, series_id, _ in subscribed if series_id}
    to_users = {user_id for _, _, user_id in subscribed if user_id}
    keep = []
    for notice in notices:
        work = notice.work
        if work.pk not in visible:
            continue
        if notice.event == NoticeEvent.CHAPTER:
            wanted = notice.chapter is not None and notice.chapter.posted and work.pk in to_works
        else:
            by_creator = not work.anonymous and bool(to_users & set(_creator_ids(work)))
            wanted = by_creator or notice.series_id in to_series
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


def _wants_email(user) -> bool:
    wanted = (
        Preference.objects.filter(user=user).values_list("subscription_emails", flat=True).first()
    )
    return wanted is None or wanted  # no preference row: the defaults, e-mail on


# The e-mail


@dataclass
class Update:
    """One line of a notification e-mail (and of the inbox)."""

    notice: SubscriptionNotice
    creators: str
    headline: str  # "alice posted Chapter 2 of Title"
    url: str


def creators_text(work: Work) -> str:
    """The work's bylines as a sentence, or "Anonymous". Needs its creatorships loaded."""
    if work.anonymous:
        return "Anonymous"
    names = [creatorship.pseud.byline for creatorship in work.creatorships.all()]
    if len(names) < 2:
        return names[0] if names else "Anonymous"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def describe(notice: SubscriptionNotice, *, creators: str) -> tuple[str, str]:
    """(headline, path) of a notice: what happened, and where to read it."""
    work = notice.work
    if notice.event == NoticeEvent.CHAPTER and notice.chapter is not None:
        path = reverse("works:chapter-show", args=[work.pk, notice.chapter_id])
        return f"{creators} posted {notice.chapter.heading} of {work.title}", path
    path = reverse("works:work-show", args=[work.pk])
    if notice.event == NoticeEvent.SERIES and notice.series is not None:
        return f"{creators} posted {work.title} in the {notice.series.title} series", path
    return f"{creators} posted {work.title}", path


def notification_message(user, notices: list[SubscriptionNotice]) -> EmailMultiAlternatives:
    """ONE message for all of `notices` (in order): AO3's subject for the first update, with
    "and N more" when there are others; plain text and HTML. Works need their creators
    loaded (_load_creators)."""
    site = settings.SITE_URL.rstrip("/")
    updates = []
    for notice in notices:
        creators = creators_text(notice.work)
        headline, path = describe(notice, creators=creators)
        updates.append(Update(notice=notice, creators=creators, headline=headline, url=site + path))
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
    html = render_to_string("social/email/subscription_notices.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
