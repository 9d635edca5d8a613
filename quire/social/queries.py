"""Reads of the social app. Bookmark listings start from visible_bookmarks(viewer), which
starts from works.queries.visible_works; comments are read through their work
(access_work), and the inbox through visible_works too; so do subscription listings and
notices."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Value
from django.http import Http404
from django.utils import timezone

from quire.accounts.models import Pseud, User
from quire.accounts.queries import muted_user_ids, muted_users
from quire.tags.models import Tag
from quire.works.models import Chapter, SerialWork, Series, Work
from quire.works.permissions import is_creator
from quire.works.queries import (
    access_work,
    blurb_works,
    own_works,
    visible_series,
    visible_works,
    with_creators,
)

from .models import (
    Bookmark,
    Comment,
    InboxComment,
    Kudo,
    Reading,
    Subscription,
    SubscriptionNotice,
)
from .notifications import creators_text, describe, notifiable_works

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
    """Bookmarks `viewer` may see: of works visible_works(viewer) lists or of series
    visible_series(viewer) lists, and public unless they are the viewer's own. Every bookmark
    listing starts here."""
    bookmarks = Bookmark.objects.filter(
        Q(work__in=visible_works(viewer).values("pk"))
        | Q(series__in=visible_series(viewer).values("pk"))
    )
    if viewer.is_authenticated:
        return bookmarks.filter(Q(private=False) | Q(owner=viewer))
    return bookmarks.filter(private=False)


def without_muted(viewer, bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    """Leave out, for a listing, the bookmarks made by users `viewer` muted, and bookmarks
    of series by them (their works went with the viewer's blocklist). A subquery: the
    same statement with 0 mutes or 2,000."""
    if not viewer.is_authenticated:
        return bookmarks
    muted = muted_users(viewer).values("muted_id")
    return bookmarks.exclude(owner__in=muted).exclude(
        series__in=Series.objects.filter(pseuds__user__in=muted).values("pk")
    )


def access_bookmark(viewer, bookmark_id: int) -> Bookmark:
    """The viewer's own bookmark, to edit or delete, with its work and tags. Anyone else's,
    or a missing one, raises Http404 alike."""
    if not viewer.is_authenticated:
        raise Http404("No such bookmark.")
    bookmark = (
        Bookmark.objects.filter(pk=bookmark_id, owner=viewer)
        .select_related("work", "series", "pseud")
        .prefetch_related("tags")
        .first()
    )
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


def own_bookmark(user, work: Work | None = None, series: Series | None = None) -> Bookmark | None:
    """The user's bookmark of `work` (or of `series`), if any."""
    if not user.is_authenticated:
        return None
    if series is not None:
        return Bookmark.objects.filter(owner=user, series=series).first()
    return Bookmark.objects.filter(owner=user, work=work).first()


def public_series_bookmarks(viewer, series: Series) -> QuerySet[Bookmark]:
    return without_muted(viewer, Bookmark.objects.filter(series=series, private=False))


def blurb_series(viewer, series_ids) -> dict[int, Series]:
    """The series with what their bookmark blurbs show, by id: creators, and `words` and
    `works_count` over the works visible to `viewer`. Three queries however many."""
    if not series_ids:
        return {}
    found = Series.objects.filter(pk__in=series_ids).prefetch_related(
        Prefetch("pseuds", queryset=Pseud.objects.select_related("user").order_by("name"))
    )
    series = {row.pk: row for row in found}
    sums = (
        SerialWork.objects.filter(series_id__in=series, work__in=visible_works(viewer).values("pk"))
        .values("series_id")
        .annotate(words=Sum("work__word_count"), works=Count("work_id"))
        .order_by()
    )
    for row in series.values():
        row.words, row.works_count = 0, 0
    for summed in sums:
        row = series[summed["series_id"]]
        row.words, row.works_count = summed["words"] or 0, summed["works"]
    return series


def bookmark_page(viewer, bookmarks: QuerySet[Bookmark], page_number) -> Page:
    """One page of bookmarks, newest first, each with `blurb_work` (the work with all its
    blurb shows) or `blurb_series`: a fixed number of queries however many bookmarks, tags,
    works or series."""
    ids = bookmarks.order_by("-created_at", "-id").values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, BOOKMARKS_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    rows = list(
        Bookmark.objects.filter(pk__in=list(page.object_list))
        .select_related("pseud__user")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("-created_at", "-id")
    )
    work_ids = [row.work_id for row in rows if row.work_id is not None]
    series_ids = [row.series_id for row in rows if row.series_id is not None]
    works = {work.pk: work for work in blurb_works(viewer, work_ids)} if work_ids else {}
    series = blurb_series(viewer, series_ids)
    for row in rows:
        row.blurb_work = works.get(row.work_id) if row.work_id is not None else None
        row.blurb_series = series.get(row.series_id) if row.series_id is not None else None
    page.object_list = [
        row for row in rows if row.blurb_work is not None or row.blurb_series is not None
    ]
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
    page: Page[Any] = Paginator(ids, READINGS_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    rows = list(Reading.objects.filter(pk__in=list(page.object_list)))
    rows.sort(key=lambda row: (row.last_viewed_at, row.pk), reverse=True)
    works = {work.pk: work for work in blurb_works(viewer, [row.work_id for row in rows])}
    for row in rows:
        row.blurb_work = works.get(row.work_id)
        if row.blurb_work is not None:
            row.work = row.blurb_work
    page.object_list = [row for row in rows if row.blurb_work is not None]
    return page


# Comments

COMMENTS_PER_PAGE = 20  # top-level comments (threads) per page
# Replies are shown nested this many levels deep; below, a "Continue this thread" link.
THREAD_DEPTH = 5


def _comment_rows(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    return comments.select_related("pseud__user").annotate(chapter_position=F("chapter__position"))


def access_comment(viewer, comment_id: int) -> Comment:
    """A comment `viewer` may see, with `comment.work` fetched through access_work (so its
    Http404 and RestrictedWork apply) and `has_replies` set. A comment on a draft chapter is
    its work's creators' only; one held for review, its creators' and its author's."""
    comment = _comment_rows(Comment.objects.filter(pk=comment_id)).first()
    if comment is None:
        raise Http404("No such comment.")
    work = access_work(viewer, comment.work_id)
    creator = is_creator(viewer, work)
    own = viewer.is_authenticated and comment.user_id == viewer.pk
    chapter_posted = Chapter.objects.filter(pk=comment.chapter_id, posted=True).exists()
    if not (creator or (chapter_posted and work.posted and (comment.approved or own))):
        raise Http404("No such comment.")
    comment.work = work
    comment.has_replies = Comment.objects.filter(parent_id=comment.pk).exists()
    return comment


def subtree_ids(comment: Comment) -> list[int]:
    """The comment's id and those of every reply below it, at any depth."""
    rows = Comment.objects.filter(thread_id=comment.thread_id, depth__gt=comment.depth)
    children: dict[int, list[int]] = {}
    for pk, parent_id in rows.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [comment.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, ()))
    return found


def _build_tree(rows: list[Comment], top_ids: list[int], *, max_depth: int) -> list[Comment]:
    """Nest `rows` under their parents, `top_ids` first (in that order); each gets
    `children` and `has_replies`. A comment `max_depth` levels below its top comment is not
    shown: its parent gets `continue_thread` (the id of the thread page to go to). Replies
    whose parent is missing (held, or by a muted user) are left out with it."""
    by_id = {row.pk: row for row in rows}
    top = [by_id[pk] for pk in top_ids if pk in by_id]
    levels = {row.pk: 0 for row in top}
    for row in rows:
        row.children = []
        row.continue_thread = None
        row.has_replies = False
    for row in sorted(rows, key=lambda r: (r.depth, r.created_at, r.pk)):
        if row.pk in levels or row.parent_id not in levels:
            continue
        parent = by_id[row.parent_id]
        parent.has_replies = True
        level = levels[row.parent_id] + 1
        if level >= max_depth:
            parent.continue_thread = parent.continue_thread or parent.pk
            continue
        levels[row.pk] = level
        parent.children.append(row)
    return top


@dataclass
class CommentsSection:
    """One page of a work's (or a chapter's) comment threads, nested for display."""

    page: Page | None
    threads: list[Comment]
    total: int


def comment_section(viewer, work: Work, chapter: Chapter | None, page_number) -> CommentsSection:
    """A page of top-level comments, oldest first (COMMENTS_PER_PAGE), with their replies
    THREAD_DEPTH levels deep: of `chapter`, or of every posted chapter when it is None.
    Approved comments only; comments by users the viewer muted are left out with their
    replies. A fixed number of queries however many comments: none for a work without any,
    else the muted users (logged-in readers), one page of ids, the comments of those threads,
    and a count only when there is more than one page."""
    if not work.stats.comments_count:
        return CommentsSection(page=None, threads=[], total=0)
    muted = muted_user_ids(viewer)
    roots = Comment.objects.filter(work=work, depth=0, approved=True)
    if chapter is not None:
        roots = roots.filter(chapter=chapter)
    else:
        roots = roots.filter(chapter__posted=True)
    if muted:
        roots = roots.exclude(user_id__in=muted)
    ids = roots.order_by("id").values_list("pk", flat=True)
    paginator = Paginator(ids, COMMENTS_PER_PAGE, allow_empty_first_page=True)
    number = _page_number(page_number)
    start = (number - 1) * COMMENTS_PER_PAGE
    page_ids = list(ids[start : start + COMMENTS_PER_PAGE + 1])
    if number == 1 and len(page_ids) <= COMMENTS_PER_PAGE:
        paginator.count = len(page_ids)  # one page: no count needed
    page = paginator.get_page(number)
    if page.number != number:  # past the end: the last page
        start = (page.number - 1) * COMMENTS_PER_PAGE
        page_ids = list(ids[start : start + COMMENTS_PER_PAGE])
    page_ids = page_ids[:COMMENTS_PER_PAGE]
    rows = Comment.objects.filter(thread_id__in=page_ids, depth__lte=THREAD_DEPTH, approved=True)
    if muted:
        rows = rows.exclude(user_id__in=muted)
    threads = _build_tree(list(_comment_rows(rows)), page_ids, max_depth=THREAD_DEPTH)
    return CommentsSection(page=page, threads=threads, total=paginator.count)


def _page_number(value) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def comment_thread(viewer, comment: Comment) -> list[Comment]:
    """The comment (fetched through access_comment) and its replies THREAD_DEPTH levels deep,
    nested, for the thread's own page. Empty when the viewer muted its author."""
    muted = muted_user_ids(viewer)
    if comment.user_id in muted:
        return []
    rows = Comment.objects.filter(
        thread_id=comment.thread_id,
        depth__gt=comment.depth,
        depth__lte=comment.depth + THREAD_DEPTH,
        approved=True,
    )
    if muted:
        rows = rows.exclude(user_id__in=muted)
    return _build_tree([comment, *_comment_rows(rows)], [comment.pk], max_depth=THREAD_DEPTH)


def unreviewed_comments(work: Work) -> list[Comment]:
    """Comments on `work` held for its creators' review, oldest first."""
    rows = Comment.objects.filter(work=work, approved=False, deleted=False).order_by("id")
    return list(_comment_rows(rows))


def comment_rate_refusal(user, ip_hash: str) -> str | None:
    """Why this new account (younger than COMMENT_NEW_ACCOUNT_DAYS), or this guest IP, may not
    comment now: it posted COMMENT_RATE_LIMIT comments in the last COMMENT_RATE_MINUTES. The
    message says when it may post again. None for older accounts (without a query)."""
    now = timezone.now()
    if user.is_authenticated:
        if user.date_joined <= now - timedelta(days=settings.COMMENT_NEW_ACCOUNT_DAYS):
            return None
        mine = Comment.objects.filter(user=user)
        who = "New accounts"
    else:
        if not ip_hash:
            return None
        mine = Comment.objects.filter(user__isnull=True, ip_hash=ip_hash)
        who = "Guests"
    limit, window = settings.COMMENT_RATE_LIMIT, timedelta(minutes=settings.COMMENT_RATE_MINUTES)
    recent = list(
        mine.filter(created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    again = recent[-1] + window
    minutes = max(1, -int(-(again - now).total_seconds() // 60))
    return (
        f"{who} can post at most {limit} comments every {settings.COMMENT_RATE_MINUTES} "
        f"minutes. You can comment again in {minutes} minute{'s' if minutes != 1 else ''} "
        f"(at {again:%H:%M} UTC). Your comment is below, unposted."
    )


# The inbox

INBOX_PER_PAGE = 20


def inbox_items(owner) -> QuerySet[InboxComment]:
    """The owner's inbox: comments delivered to them on works they may still see."""
    works = visible_works(owner).values("pk").union(own_works(owner).values("pk"))
    return InboxComment.objects.filter(user=owner, comment__work__in=works)


def inbox_unread_count(user) -> int:
    """How many unread items the user's inbox holds (the site header shows it): comments and
    subscription updates, counted in one query."""
    if not user.is_authenticated:
        return 0
    comments = inbox_items(user).filter(read=False).values_list("pk")
    updates = visible_notices(user).filter(read=False).order_by().values_list("pk")
    return comments.union(updates, all=True).count()


def inbox_page(owner, *, read: bool | None, oldest_first: bool, page_number) -> Page:
    """One page of the owner's inbox, newest first (or oldest), optionally only read or only
    unread items: comments (each with its comment, the comment's work and chapter, and the
    commenter) and subscription updates (each with `headline` and `url`, notice_rows), in
    one order by the time they arrived. A fixed number of queries however many items."""
    comments = inbox_items(owner)
    updates = visible_notices(owner).order_by()
    if read is not None:
        comments = comments.filter(read=read)
        updates = updates.filter(read=read)
    # One sorted, paged list of (kind, id, arrival) over both tables; rows are loaded after.
    keys = comments.annotate(item_kind=Value(InboxComment.KIND), at=F("created_at")).values_list(
        "item_kind", "pk", "at"
    )
    keys = keys.union(
        updates.annotate(
            item_kind=Value(SubscriptionNotice.KIND), at=F("delivered_at")
        ).values_list("item_kind", "pk", "at"),
        all=True,
    )
    order = ("at", "item_kind", "pk") if oldest_first else ("-at", "-item_kind", "-pk")
    page: Page[Any] = Paginator(
        keys.order_by(*order), INBOX_PER_PAGE, allow_empty_first_page=True
    ).get_page(page_number)
    wanted = [(kind, pk) for kind, pk, _ in page.object_list]
    loaded: dict[tuple[str, int], InboxComment | SubscriptionNotice] = {
        (InboxComment.KIND, item.pk): item
        for item in InboxComment.objects.filter(
            pk__in=[pk for kind, pk in wanted if kind == InboxComment.KIND]
        ).select_related("comment__pseud__user", "comment__work", "comment__chapter")
    }
    notice_ids = [pk for kind, pk in wanted if kind == SubscriptionNotice.KIND]
    for notice in notice_rows(owner, notice_ids):
        loaded[(SubscriptionNotice.KIND, notice.pk)] = notice
    page.object_list = [loaded[key] for key in wanted if key in loaded]
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
