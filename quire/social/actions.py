"""Writes of the social app: kudos, bookmarks, hits, reading history, comments and the inbox,
subscriptions and the notices they produce. One transaction each, no visibility checks (the
views fetch the work through works.queries.access_work first)."""

import hashlib
import hmac
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from quire.accounts.models import Preference, Pseud, User
from quire.accounts.queries import muted_user_ids
from quire.lib.sanitize import format_user_text, strip_html
from quire.tags.actions import do_find_or_create_tags
from quire.tags.audience import refresh_tag_audience
from quire.tags.models import Tag, TagType
from quire.tags.names import tag_key
from quire.tags.queries import tags_by_names
from quire.works.models import Chapter, Creatorship, SerialWork, Series, Work, WorkStats
from quire.works.pagecache import expire_work_pages
from quire.works.permissions import creator_user_ids, is_creator
from quire.works.queries import ANY_REGISTERED_READER, visible_works

from .models import (
    Bookmark,
    Comment,
    HitBuffer,
    InboxComment,
    Kudo,
    NoticeEvent,
    Reading,
    Subscription,
    SubscriptionNotice,
)
from .permissions import ALREADY_LEFT, comment_needs_review, kudos_refusal

FLUSH_BATCH = 1000


class KudosError(Exception):
    """Kudos refused; the message is for the reader."""


def hash_ip(ip: str) -> str:
    """A keyed hash of an IP address: enough to tell visitors apart, useless to recover it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()[:32]


def do_leave_kudos(work: Work, *, user=None, ip: str | None = None) -> Kudo:
    """Leave kudos on `work` as `user`, or as a guest from `ip` when user is None/anonymous.

    The caller has fetched the work through access_work (it is visible to the viewer). Raises
    KudosError on a draft, the viewer's own work, a guest on a restricted work, and a second
    kudos from the same account or guest IP; in that case nothing is written. In one
    transaction: inserts the Kudo and adds one to WorkStats.kudos_count (an F() update, so
    concurrent kudos never lose each other). Expires the work's guest pages, now and on commit.
    """
    if user is not None and not user.is_authenticated:
        user = None
    refusal = kudos_refusal(user, work)
    if refusal:
        raise KudosError(refusal)
    if user is None and not ip:
        raise KudosError("We couldn't tell who you are; please try again.")
    try:
        with transaction.atomic():
            kudo = Kudo.objects.create(
                work=work, user=user, ip_hash="" if user is not None else hash_ip(ip)
            )
            WorkStats.objects.filter(work=work).update(kudos_count=F("kudos_count") + 1)
    except IntegrityError:
        raise KudosError(ALREADY_LEFT) from None
    # Kudos change only the live parts of the page (the kudos list and stats), so the fragment
    # caches keyed by Work.version stay valid: expiring guests' whole pages is enough.
    expire_work_pages([work.pk])
    transaction.on_commit(lambda: expire_work_pages([work.pk]))
    return kudo


class BookmarkExists(Exception):
    """The user already bookmarked this work (or series); `bookmark` is that bookmark."""

    def __init__(self, bookmark: Bookmark) -> None:
        noun = "work" if bookmark.work_id else "series"
        super().__init__(f"You have already bookmarked this {noun}.")
        self.bookmark = bookmark


@dataclass
class BookmarkInput:
    """A validated bookmark form (social.forms.BookmarkForm): notes as typed, tag names."""

    pseud: Pseud
    notes: str = ""
    tag_names: list[str] = field(default_factory=list)
    rec: bool = False
    private: bool = False


def _bookmark_tags(names: list[str]) -> list[Tag]:
    """Bookmarkers' tags are ordinary tags: an existing tag of any type is used as it is; an
    unknown name becomes an unsorted tag, as on AO3."""
    existing = tags_by_names(names)
    missing = [name for name in names if tag_key(name) not in existing]
    created = {tag_key(tag.name): tag for tag in do_find_or_create_tags(missing, TagType.UNSORTED)}
    tags: list[Tag] = []
    for name in names:
        tag = existing.get(tag_key(name)) or created.get(tag_key(name))
        if tag is not None and tag not in tags:
            tags.append(tag)
    return tags


def _change_public_count(work_id: int, delta: int) -> None:
    """Add `delta` to the work's public bookmark count (F(), inside the caller's transaction)
    and expire its guest pages, which show the count. Nothing for a series' bookmark
    (work_id None): series keep no counter."""
    if not delta or work_id is None:
        return
    WorkStats.objects.filter(work_id=work_id).update(bookmarks_count=F("bookmarks_count") + delta)
    expire_work_pages([work_id])
    transaction.on_commit(lambda: expire_work_pages([work_id]))


def do_create_bookmark(work: Work, *, owner, data: BookmarkInput) -> Bookmark:
    """Bookmark `work` for `owner` with already validated `data`.

    The caller has fetched the work through access_work and checked `data.pseud` is the
    owner's. In one transaction: the bookmark with its sanitized notes and tags, and, for a
    public bookmark, one more in WorkStats.bookmarks_count (guest pages of the work expire).
    Raises BookmarkExists, writing nothing, when the owner already bookmarked the work.
    """
    return _create_bookmark(owner, data, work=work)


def do_create_series_bookmark(series: Series, *, owner, data: BookmarkInput) -> Bookmark:
    """Bookmark `series` for `owner` with already validated `data`.

    The caller has checked the series is visible to the owner (social.queries.visible_series)
    and that `data.pseud` is theirs. One transaction: the bookmark, its notes and tags. No
    work's count moves (WorkStats.bookmarks_count is of works only). Raises BookmarkExists,
    writing nothing, when the owner already bookmarked the series.
    """
    return _create_bookmark(owner, data, series=series)


def _create_bookmark(owner, data: BookmarkInput, *, work=None, series=None) -> Bookmark:
    try:
        with transaction.atomic():
            bookmark = Bookmark.objects.create(
                owner=owner,
                pseud=data.pseud,
                work=work,
                series=series,
                notes=format_user_text(data.notes),
                rec=data.rec,
                private=data.private,
            )
            tags = _bookmark_tags(data.tag_names)
            bookmark.tags.set(tags)
            refresh_tag_audience(tag.pk for tag in tags)  # a public bookmark shows its tags
            if work is not None:
                _change_public_count(work.pk, 0 if data.private else 1)
    except IntegrityError:
        item = {"work": work} if work is not None else {"series": series}
        existing = Bookmark.objects.filter(owner=owner, **item).first()
        if existing is None:
            raise
        raise BookmarkExists(existing) from None
    return bookmark


def do_update_bookmark(bookmark: Bookmark, data: BookmarkInput) -> Bookmark:
    """Replace the bookmark's pseud, notes, tags, rec and privacy with validated `data`.

    The caller fetched the bookmark through access_bookmark (it is the viewer's). Making it
    private or public moves WorkStats.bookmarks_count by one in the same transaction; the
    row is locked first, so two edits racing cannot both move the count.
    """
    with transaction.atomic():
        was_private = (
            Bookmark.objects.select_for_update()
            .values_list("private", flat=True)
            .get(pk=bookmark.pk)
        )
        bookmark.pseud = data.pseud
        bookmark.notes = format_user_text(data.notes)
        bookmark.rec = data.rec
        bookmark.private = data.private
        bookmark.updated_at = timezone.now()
        bookmark.save(update_fields=["pseud", "notes", "rec", "private", "updated_at"])
        former = set(bookmark.tags.values_list("pk", flat=True))
        tags = _bookmark_tags(data.tag_names)
        bookmark.tags.set(tags)
        # Its tags, old and new, may be shown or hidden now (privacy or tags changed).
        refresh_tag_audience(former | {tag.pk for tag in tags})
        _change_public_count(bookmark.work_id, int(was_private) - int(data.private))
    return bookmark


def do_delete_bookmark(bookmark: Bookmark) -> None:
    """Delete the bookmark; a public one leaves WorkStats.bookmarks_count one smaller, in the
    same transaction. Deleting a bookmark already gone does nothing."""
    with transaction.atomic():
        was_private = (
            Bookmark.objects.select_for_update()
            .filter(pk=bookmark.pk)
            .values_list("private", flat=True)
            .first()
        )
        if was_private is None:
            return
        tag_ids = set(bookmark.tags.values_list("pk", flat=True))
        Bookmark.objects.filter(pk=bookmark.pk).delete()
        refresh_tag_audience(tag_ids)
        _change_public_count(bookmark.work_id, 0 if was_private else -1)


# Views already buffered by this process: repeat views from one IP skip the database. The
# unique constraint is the real rule; this only spares a query.
_RECENT_HITS: OrderedDict[tuple, None] = OrderedDict()
_RECENT_HITS_MAX = 50_000
_recent_lock = threading.Lock()


def forget_recent_hits() -> None:
    with _recent_lock:
        _RECENT_HITS.clear()


def _seen_recently(key: tuple) -> bool:
    with _recent_lock:
        if key in _RECENT_HITS:
            return True
        _RECENT_HITS[key] = None
        if len(_RECENT_HITS) > _RECENT_HITS_MAX:
            _RECENT_HITS.popitem(last=False)
        return False


def do_record_hit(work_id: int, ip: str | None) -> None:
    """Buffer a view of `work_id` from `ip` (AO3.md §7: one hit per work per IP per day).

    The caller has decided the view counts (counts_hit: not a draft, not a creator). Never
    touches the work's row or its stats row: one INSERT that ignores a conflict, skipped
    altogether when this process already buffered the same view today. WorkStats.hits grows
    when do_flush_hits runs (scheduled here at most once per QUIRE_HITS_FLUSH_SECONDS).
    """
    if not ip:
        return
    day = timezone.now().date()
    digest = hash_ip(ip)
    if _seen_recently((work_id, digest, day)):
        return
    HitBuffer.objects.bulk_create(
        [HitBuffer(work_id=work_id, ip_hash=digest, day=day)], ignore_conflicts=True
    )
    _schedule_flush()


def _schedule_flush() -> None:
    # One queued flush per interval (per cache), not one per view.
    if not _claim_interval("hits:flush-scheduled", settings.HITS_FLUSH_SECONDS):
        return
    from .tasks import flush_hits

    transaction.on_commit(_deferred(flush_hits, settings.HITS_FLUSH_SECONDS).enqueue)


def _claim_interval(key: str, interval: int) -> bool:
    """Whether this caller is the first in `interval` seconds (per cache) to ask for `key`:
    periodic tasks are queued by the first event of each interval, not by every event.
    An interval of 0 or less claims nothing (a command, or cron, runs the task)."""
    return interval > 0 and caches["default"].add(key, 1, timeout=interval)


def _deferred(task, seconds: int):
    """`task` set to run `seconds` from now, where the task backend can defer."""
    if task.get_backend().supports_defer:
        return task.using(run_after=timezone.now() + timedelta(seconds=seconds))
    return task


def do_flush_hits(*, batch_size: int = FLUSH_BATCH) -> int:
    """Move buffered hits into WorkStats.hits; return how many were added.

    Batches of `batch_size` rows, each in its own transaction: the rows are locked (FOR UPDATE
    SKIP LOCKED on PostgreSQL, so flushes running at once take disjoint rows and never wait on
    each other), their per-work counts are added with F(), and they are marked flushed. Rows
    stay until their day is over so later views that day are still recognised; older flushed
    rows are deleted at the end. Safe to run late, twice, or concurrently.
    """
    total = 0
    while True:
        added = _flush_batch(batch_size)
        if added == 0:
            break
        total += added
    yesterday = timezone.now().date() - timedelta(days=1)
    HitBuffer.objects.filter(day__lt=yesterday, flushed=True).delete()
    return total


def _flush_batch(batch_size: int) -> int:
    with transaction.atomic():
        pending = HitBuffer.objects.filter(flushed=False).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        rows = list(pending.values_list("id", "work_id")[:batch_size])
        if not rows:
            return 0
        per_work = Counter(work_id for _, work_id in rows)
        # Lock the stats rows in one order, so two flushes can never deadlock each other.
        list(
            WorkStats.objects.filter(work_id__in=per_work)
            .order_by("work_id")
            .select_for_update()
            .values_list("id", flat=True)
        )
        by_count: dict[int, list[int]] = {}
        for work_id, count in per_work.items():
            by_count.setdefault(count, []).append(work_id)
        for count, work_ids in by_count.items():
            WorkStats.objects.filter(work_id__in=work_ids).update(hits=F("hits") + count)
        HitBuffer.objects.filter(id__in=[row_id for row_id, _ in rows]).update(flushed=True)
        return len(rows)


# Reading history and Marked for Later


def do_record_reading(user, work: Work) -> bool | None:
    """Record that `user` viewed `work` in their reading history; return the entry's Marked
    for Later flag, or None when nothing was recorded.

    Nothing for guests, drafts, the work's own creators, or a user whose history is off. The
    caller fetched the work through access_work. One statement (an INSERT that, on the
    user-and-work conflict, adds one to the views in the database), so views racing each other
    all count and a reader's page pays a single query for it.
    """
    if not user.is_authenticated or not work.posted or is_creator(user, work):
        return None
    quote = connection.ops.quote_name
    now = timezone.now()
    # Only the models' own table names are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(Reading._meta.db_table)} "  # noqa: S608
        "(user_id, work_id, first_viewed_at, last_viewed_at, views, chapters_posted_at_view,"
        " toread) "
        "SELECT %s, %s, %s, %s, 1, %s, %s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {quote(Preference._meta.db_table)} "
        "WHERE user_id = %s AND history_enabled = %s) "
        "ON CONFLICT (user_id, work_id) DO UPDATE SET "
        "last_viewed_at = excluded.last_viewed_at, "
        f"views = {quote(Reading._meta.db_table)}.views + 1, "
        "chapters_posted_at_view = excluded.chapters_posted_at_view "
        "RETURNING toread"
    )
    field = Reading._meta.get_field("last_viewed_at")
    stamp = field.get_db_prep_value(now, connection)
    params = [user.pk, work.pk, stamp, stamp, work.posted_chapter_count, False, user.pk, False]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else bool(row[0])


def do_mark_for_later(user, work: Work, *, toread: bool = True) -> None:
    """Mark `work` for later (or, with toread=False, as read) for `user`.

    Works with history off too, as on AO3: marking creates the reading row when needed (with
    no views). Marking as read a work never recorded writes nothing. The caller fetched the
    work through access_work and checked it is posted.
    """
    if Reading.objects.filter(user=user, work=work).update(toread=toread) or not toread:
        return
    try:
        with transaction.atomic():
            Reading.objects.create(
                user=user,
                work=work,
                toread=True,
                chapters_posted_at_view=work.posted_chapter_count,
            )
    except IntegrityError:
        Reading.objects.filter(user=user, work=work).update(toread=True)


def do_delete_reading(reading: Reading) -> None:
    """Clear one entry of a reading history (its Marked for Later flag goes with it)."""
    Reading.objects.filter(pk=reading.pk).delete()


def do_clear_readings(user) -> int:
    """Clear the user's whole reading history; returns how many entries went."""
    deleted, _ = Reading.objects.filter(user=user).delete()
    return deleted


# Comments and the inbox

# An edit changing more characters than this sends an approved comment on a moderated work
# back for review.
SIGNIFICANT_EDIT = 10
EDIT_AFTER_REPLY = "Comments can't be edited once someone has replied to them."


class CommentError(Exception):
    """The comment can't be written as asked; the message is for the reader."""


@dataclass
class CommentInput:
    """A validated comment form (social.forms.CommentForm): the text as typed, and who
    signs it: a pseud of the logged-in author, or a guest's name and e-mail address."""

    content: str
    pseud: Pseud | None = None
    guest_name: str = ""
    guest_email: str = ""


def _change_comment_count(work_id: int, delta: int) -> None:
    if delta:
        WorkStats.objects.filter(work_id=work_id).update(comments_count=F("comments_count") + delta)


def _expire(work_id: int) -> None:
    """Comments show only in the work page's live parts (the comments section and the stats),
    never in a fragment cached by Work.version: expiring guests' whole pages is enough."""
    expire_work_pages([work_id])
    transaction.on_commit(lambda: expire_work_pages([work_id]))


def _deliver(comment: Comment, work: Work) -> None:
    """Put a visible comment in the inboxes of the work's creators and of the author of the
    comment it answers: never the commenter's own, nor someone who muted the commenter. A
    second delivery (an edit approved again) adds nothing."""
    recipients = set(creator_user_ids(work))
    if comment.parent_id:
        parent_author = (
            Comment.objects.filter(pk=comment.parent_id).values_list("user_id", flat=True).first()
        )
        if parent_author:
            recipients.add(parent_author)
    if comment.user_id:
        recipients.discard(comment.user_id)
        # A few recipients at most (the creators, one commenter): a question each.
        recipients = {
            user_id
            for user_id in recipients
            if comment.user_id not in muted_user_ids(User(pk=user_id))
        }
    InboxComment.objects.bulk_create(
        [InboxComment(user_id=user_id, comment=comment) for user_id in sorted(recipients)],
        ignore_conflicts=True,
    )


def do_create_comment(
    work: Work,
    chapter: Chapter,
    *,
    user,
    data: CommentInput,
    parent: Comment | None = None,
    ip: str | None = None,
) -> Comment:
    """Post a comment on `chapter` of `work` (a reply when `parent` is given).

    The caller fetched the work through access_work and checked comment_refusal and the rate
    limit. In one transaction: the comment with its sanitized text; on a moderated work (not
    by a creator) it waits for approval, otherwise WorkStats.comments_count grows by one, the
    comment reaches its recipients' inboxes and the work's guest pages expire.
    """
    if user is not None and not user.is_authenticated:
        user = None
    approved = not comment_needs_review(user or AnonymousUser(), work)
    with transaction.atomic():
        comment = Comment.objects.create(
            work=work,
            chapter=chapter,
            parent=parent,
            thread_id=parent.thread_id if parent is not None else None,
            depth=parent.depth + 1 if parent is not None else 0,
            user=user,
            pseud=data.pseud if user is not None else None,
            guest_name="" if user is not None else data.guest_name,
            guest_email="" if user is not None else data.guest_email,
            ip_hash=hash_ip(ip) if user is None and ip else "",
            content=format_user_text(data.content),
            approved=approved,
        )
        if parent is None:
            comment.thread_id = comment.pk
            Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
        if approved:
            _change_comment_count(work.pk, 1)
            _deliver(comment, work)
            _expire(work.pk)
    return comment


def _changed_characters(before: str, after: str) -> int:
    """How many characters differ between two texts, past their common start and end: an
    upper bound of the edit distance, in linear time (comments run to 10,000 characters)."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return max(len(before), len(after)) - start - end


def do_update_comment(comment: Comment, work: Work, *, content: str, by) -> Comment:
    """Replace the comment's text (`by` is its author, checked by the caller).

    Raises CommentError, writing nothing, once the comment has a reply. On a moderated work
    an approved comment whose text changed by more than SIGNIFICANT_EDIT characters goes back
    for review (and out of WorkStats.comments_count) unless its author is a creator.
    """
    with transaction.atomic():
        locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None or locked.deleted:
            raise CommentError("That comment has been deleted.")
        if Comment.objects.filter(parent_id=comment.pk).exists():
            raise CommentError(EDIT_AFTER_REPLY)
        formatted = format_user_text(content)
        changed = _changed_characters(strip_html(locked.content), strip_html(formatted))
        back_to_review = (
            locked.approved and changed > SIGNIFICANT_EDIT and comment_needs_review(by, work)
        )
        comment.content = formatted
        comment.edited_at = timezone.now()
        comment.approved = locked.approved and not back_to_review
        comment.save(update_fields=["content", "edited_at", "approved"])
        if back_to_review:
            _change_comment_count(work.pk, -1)
        _expire(work.pk)
    return comment


def do_approve_comment(comment: Comment, work: Work) -> None:
    """Approve a comment held for review (the caller checked the viewer is a creator): it
    is shown, counted in WorkStats.comments_count and delivered to inboxes. Approving an
    approved comment does nothing."""
    with transaction.atomic():
        if not Comment.objects.filter(pk=comment.pk, approved=False, deleted=False).update(
            approved=True
        ):
            return
        comment.approved = True
        _change_comment_count(work.pk, 1)
        _deliver(comment, work)
        _expire(work.pk)


def do_delete_comment(comment: Comment) -> None:
    """Delete a comment (the caller checked the viewer is its author or a creator).

    A comment with replies stays as a placeholder ("(Previous comment deleted.)") so the
    conversation still reads; one without goes, and so does every placeholder above it left
    with no reply. An approved comment leaves WorkStats.comments_count one smaller.
    """
    with transaction.atomic():
        row = (
            Comment.objects.select_for_update()
            .filter(pk=comment.pk)
            .values("approved", "deleted", "parent_id", "work_id")
            .first()
        )
        if row is None or row["deleted"]:
            return
        if Comment.objects.filter(parent_id=comment.pk).exists():
            Comment.objects.filter(pk=comment.pk).update(deleted=True, content="")
            InboxComment.objects.filter(comment_id=comment.pk).delete()
        else:
            Comment.objects.filter(pk=comment.pk).delete()
            _prune_placeholders(row["parent_id"])
        if row["approved"]:
            _change_comment_count(row["work_id"], -1)
        _expire(row["work_id"])


def _prune_placeholders(parent_id: int | None) -> None:
    while parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, deleted=True).values("parent_id").first()
        if parent is None or Comment.objects.filter(parent_id=parent_id).exists():
            return
        Comment.objects.filter(pk=parent_id).delete()
        parent_id = parent["parent_id"]


def do_freeze_thread(comment: Comment, *, frozen: bool = True) -> int:
    """Freeze (or unfreeze) a comment and every reply below it: no more replies there. The
    caller checked the viewer is a creator of the work. Returns how many comments changed."""
    from .queries import subtree_ids

    with transaction.atomic():
        changed = Comment.objects.filter(pk__in=subtree_ids(comment)).update(frozen=frozen)
        _expire(comment.work_id)
    return changed


def do_mark_inbox(user, item_ids, *, read: bool) -> int:
    """Mark these of the user's inbox items read (or unread); others' ids are ignored."""
    return InboxComment.objects.filter(user=user, pk__in=list(item_ids)).update(read=read)


def do_delete_inbox(user, item_ids) -> int:
    """Delete these of the user's inbox items (the comments stay)."""
    deleted, _ = InboxComment.objects.filter(user=user, pk__in=list(item_ids)).delete()
    return deleted


# Subscriptions and their notices


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


def do_mark_notices_read(user, notice_ids=None, *, read: bool = True) -> int:
    """Mark `user`'s delivered notices (these ids, or all) read or unread; returns how many."""
    notices = SubscriptionNotice.objects.filter(user=user, delivered_at__isnull=False)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.exclude(read=read).update(read=read)


def do_delete_notices(user, notice_ids) -> int:
    """Delete some of `user`'s notices from their inbox; returns how many went."""
    deleted, _ = SubscriptionNotice.objects.filter(user=user, pk__in=list(notice_ids)).delete()
    return deleted


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
    if not _claim_interval("notifications:send-scheduled", settings.NOTIFICATIONS_SECONDS):
        return
    from .tasks import send_notifications

    _deferred(send_notifications, settings.NOTIFICATIONS_SECONDS).enqueue()
