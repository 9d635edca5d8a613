"""Reads of subscriptions and of the notices they produce, through visible_works (less muted
creators' works: notifiable_works)."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from quire.accounts.models import User
from quire.accounts.queries import without_muted
from quire.works.models import Series, Work
from quire.works.queries import visible_works, with_creators

from ..models import NoticeEvent, Subscription, SubscriptionNotice

SUBSCRIPTIONS_PER_PAGE = 20
# ?type= of /users/:login/subscriptions (AO3's values) -> the kind of subscription listed.
SUBSCRIPTION_TYPES = {
    "works": Subscription.WORK,
    "series": Subscription.SERIES,
    "users": Subscription.USER,
}


def own_subscription(user, *, work=None, series=None, to_user=None) -> Subscription | None:
    """`user`'s subscription to this work, series or user, if any (None for guests)."""
    if not user.is_authenticated:
        return None
    if work is not None:
        return Subscription.objects.filter(user=user, work=work).first()
    if series is not None:
        return Subscription.objects.filter(user=user, series=series).first()
    return Subscription.objects.filter(user=user, target_user=to_user).first()


def access_subscription(viewer, subscription_id: int) -> Subscription:
    """The viewer's own subscription; anyone else's, or a missing one, raises Http404."""
    if not viewer.is_authenticated:
        raise Http404("No such subscription.")
    subscription = Subscription.objects.filter(pk=subscription_id, user=viewer).first()
    if subscription is None:
        raise Http404("No such subscription.")
    return subscription


def access_subscribable_user(user_id: int) -> User:
    """An active account to subscribe to, by id (the Subscribe form's value), or Http404."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("No such user.")
    return user


def subscriptions_of(owner, kind: str | None = None) -> QuerySet[Subscription]:
    subscriptions = Subscription.objects.filter(user=owner)
    if kind == Subscription.WORK:
        return subscriptions.filter(work__isnull=False)
    if kind == Subscription.SERIES:
        return subscriptions.filter(series__isnull=False)
    if kind == Subscription.USER:
        return subscriptions.filter(target_user__isnull=False)
    return subscriptions


def subscription_page(owner, subscriptions: QuerySet[Subscription], page_number) -> Page:
    """One page of subscriptions, newest first, each with what its line names: `shown_work`
    (the work through visible_works(owner), with creators; None when they can no longer see
    it), `series` with its creators, or `target_user`. A fixed number of queries however
    many subscriptions."""
    ids = subscriptions.order_by("-created_at", "-id").values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, SUBSCRIPTIONS_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    rows = list(
        Subscription.objects.filter(pk__in=list(page.object_list))
        .select_related("target_user")
        .prefetch_related(
            Prefetch(
                "series",
                queryset=Series.objects.prefetch_related("pseuds__user"),
            )
        )
        .order_by("-created_at", "-id")
    )
    work_ids = [row.work_id for row in rows if row.work_id]
    works = {work.pk: work for work in with_creators(visible_works(owner).filter(pk__in=work_ids))}
    for row in rows:
        row.shown_work = works.get(row.work_id) if row.work_id else None
    page.object_list = rows
    return page


NOTICES_PER_PAGE = 20


def visible_notices(user) -> QuerySet[SubscriptionNotice]:
    """`user`'s delivered subscription notices (the inbox's "updates"), of works they may
    still see and were not written by someone they muted (notifiable_works), newest first."""
    if not user.is_authenticated:
        return SubscriptionNotice.objects.none()
    return SubscriptionNotice.objects.filter(
        user=user, delivered_at__isnull=False, work__in=notifiable_works(user).values("pk")
    ).order_by("-delivered_at", "-id")


def unread_notice_count(user) -> int:
    """How many of `user`'s notices are unread: one query (none for guests)."""
    if not user.is_authenticated:
        return 0
    return visible_notices(user).filter(read=False).count()


def notice_page(user, notices: QuerySet[SubscriptionNotice], page_number) -> Page:
    """One page of notices, each with `headline` ("alice posted Chapter 2 of Title") and
    `url`: a fixed number of queries however many notices."""
    ids = notices.values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, NOTICES_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    rows = notice_rows(user, list(page.object_list))
    rows.sort(key=lambda row: (row.delivered_at, row.pk), reverse=True)
    page.object_list = rows
    return page


def notice_rows(user, notice_ids: list[int]) -> list[SubscriptionNotice]:
    """These of `user`'s notices with their work (read through notifiable_works(user), with its
    creators), chapter and series, and `headline` and `url` set; notices of works they can no
    longer see are left out. Three queries, however many."""
    rows = list(
        SubscriptionNotice.objects.filter(user=user, pk__in=notice_ids).select_related(
            "chapter", "series"
        )
    )
    if not rows:
        return []
    works = {
        work.pk: work
        for work in with_creators(notifiable_works(user).filter(pk__in=[r.work_id for r in rows]))
    }
    shown = []
    for row in rows:
        work = works.get(row.work_id)
        if work is None:
            continue
        row.work = work
        row.headline, row.url = describe(row, creators=creators_text(work))
        shown.append(row)
    return shown


def notifiable_works(user) -> QuerySet[Work]:
    """The works `user` may be told of: visible_works(user), less works credited to someone
    they muted (as their comments inbox leaves out muted users; anonymous works are never
    matched by creator, which would say who wrote them)."""
    return without_muted(
        user, visible_works(user), by=("creatorships__pseud__user",), anonymous="anonymous"
    )


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
