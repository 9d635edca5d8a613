"""Reads of the social app. Bookmark listings start from visible_bookmarks(viewer), which
starts from works.queries.visible_works; so do subscription listings and notices."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from quire.accounts.models import User
from quire.tags.models import Tag
from quire.works.models import Series, Work
from quire.works.queries import blurb_works, visible_works, with_creators

from .models import Bookmark, Kudo, Reading, Subscription, SubscriptionNotice
from .notifications import creators_text, describe

# The kudos list names this many users, newest first; the rest are counted.
KUDOS_NAMES_SHOWN = 50


@dataclass
class KudosSummary:
    names: list[str] = field(default_factory=list)
    more_users: int = 0
    guests: int = 0

    @property
    def total(self) -> int:
        return len(self.names) + self.more_users + self.guests


def kudos_summary(work: Work) -> KudosSummary:
    """Who left kudos on `work`: users' logins, newest first, and how many guests. No query
    for a work without kudos (its stats row, loaded by access_work, says so)."""
    total = work.stats.kudos_count
    if not total:
        return KudosSummary()
    names = list(
        Kudo.objects.filter(work=work, user__isnull=False)
        .order_by("-id")
        .values_list("user__username", flat=True)[:KUDOS_NAMES_SHOWN]
    )
    users = len(names)
    if users == KUDOS_NAMES_SHOWN:
        users = Kudo.objects.filter(work=work, user__isnull=False).count()
    return KudosSummary(names=names, more_users=users - len(names), guests=max(total - users, 0))


# Bookmarks


BOOKMARKS_PER_PAGE = 20


def visible_bookmarks(viewer) -> QuerySet[Bookmark]:
    """Bookmarks `viewer` may see: of works visible_works(viewer) lists, and public unless
    they are the viewer's own. Every bookmark listing starts here."""
    bookmarks = Bookmark.objects.filter(work__in=visible_works(viewer).values("pk"))
    if viewer.is_authenticated:
        return bookmarks.filter(Q(private=False) | Q(owner=viewer))
    return bookmarks.filter(private=False)


def access_bookmark(viewer, bookmark_id: int) -> Bookmark:
    """The viewer's own bookmark, to edit or delete, with its work and tags. Anyone else's,
    or a missing one, raises Http404 alike."""
    if not viewer.is_authenticated:
        raise Http404("No such bookmark.")
    bookmark = (
        Bookmark.objects.filter(pk=bookmark_id, owner=viewer)
        .select_related("work", "pseud")
        .prefetch_related("tags")
        .first()
    )
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


def own_bookmark(user, work: Work) -> Bookmark | None:
    if not user.is_authenticated:
        return None
    return Bookmark.objects.filter(owner=user, work=work).first()


def bookmark_page(viewer, bookmarks: QuerySet[Bookmark], page_number) -> Page:
    """One page of bookmarks, newest first, each with `blurb_work` (the work with all its
    blurb shows): a fixed number of queries however many bookmarks, tags or works."""
    ids = bookmarks.order_by("-created_at", "-id").values_list("pk", flat=True)
    page = Paginator(ids, BOOKMARKS_PER_PAGE, allow_empty_first_page=True).get_page(page_number)
    rows = list(
        Bookmark.objects.filter(pk__in=list(page.object_list))
        .select_related("pseud__user")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("-created_at", "-id")
    )
    works = {work.pk: work for work in blurb_works(viewer, [row.work_id for row in rows])}
    for row in rows:
        row.blurb_work = works.get(row.work_id)
    page.object_list = [row for row in rows if row.blurb_work is not None]
    return page


# Reading history


READINGS_PER_PAGE = 20


def visible_readings(owner) -> QuerySet[Reading]:
    """The owner's reading history, of works they may still see (visible_works): works since
    hidden, deleted or drafted drop out."""
    return Reading.objects.filter(user=owner, work__in=visible_works(owner).values("pk"))


def access_reading(viewer, reading_id: int) -> Reading:
    """The viewer's own reading entry; anyone else's, or a missing one, raises Http404."""
    if not viewer.is_authenticated:
        raise Http404("No such reading.")
    reading = Reading.objects.filter(pk=reading_id, user=viewer).first()
    if reading is None:
        raise Http404("No such reading.")
    return reading


def own_reading(user, work: Work) -> Reading | None:
    if not user.is_authenticated:
        return None
    return Reading.objects.filter(user=user, work=work).first()


def reading_page(viewer, readings: QuerySet[Reading], page_number) -> Page:
    """One page of readings, most recently viewed first, each with `blurb_work`: a fixed
    number of queries however many readings."""
    ids = readings.order_by("-last_viewed_at", "-id").values_list("pk", flat=True)
    page = Paginator(ids, READINGS_PER_PAGE, allow_empty_first_page=True).get_page(page_number)
    rows = list(Reading.objects.filter(pk__in=list(page.object_list)))
    rows.sort(key=lambda row: (row.last_viewed_at, row.pk), reverse=True)
    works = {work.pk: work for work in blurb_works(viewer, [row.work_id for row in rows])}
    for row in rows:
        row.blurb_work = works.get(row.work_id)
        if row.blurb_work is not None:
            row.work = row.blurb_work
    page.object_list = [row for row in rows if row.blurb_work is not None]
    return page


# Subscriptions and notices


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
    page = Paginator(ids, SUBSCRIPTIONS_PER_PAGE, allow_empty_first_page=True).get_page(page_number)
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
    still see (visible_works), newest first."""
    if not user.is_authenticated:
        return SubscriptionNotice.objects.none()
    return SubscriptionNotice.objects.filter(
        user=user, delivered_at__isnull=False, work__in=visible_works(user).values("pk")
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
    page = Paginator(ids, NOTICES_PER_PAGE, allow_empty_first_page=True).get_page(page_number)
    rows = list(
        SubscriptionNotice.objects.filter(pk__in=list(page.object_list))
        .select_related("chapter", "series")
        .order_by("-delivered_at", "-id")
    )
    works = {
        work.pk: work
        for work in with_creators(visible_works(user).filter(pk__in=[r.work_id for r in rows]))
    }
    shown = []
    for row in rows:
        work = works.get(row.work_id)
        if work is None:
            continue
        row.work = work
        row.headline, row.url = describe(row, creators=creators_text(work))
        shown.append(row)
    page.object_list = shown
    return page
