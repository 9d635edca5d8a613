"""Reads of comments, through their work (access_work): a page of threads, one thread, the
unreviewed ones, and the rate limit of new accounts and guests."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from quire.accounts.permissions import sees_hidden_content
from quire.accounts.queries import without_hidden, without_muted
from quire.works.models import Chapter, Work
from quire.works.permissions import is_creator
from quire.works.queries import access_work

from ..models import Comment

# What accounts.queries.without_muted leaves out: comments by users the viewer muted.
COMMENT_MAKERS = ("user",)
COMMENTS_PER_PAGE = 20  # top-level comments (threads) per page
# Replies are shown nested this many levels deep; below, a "Continue this thread" link.
THREAD_DEPTH = 5


def _shown(viewer, comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """Less comments by users the viewer muted, and those staff hid or by spammers (but the
    viewer's own; staff see them all): their replies go with them (_build_tree)."""
    return without_hidden(viewer, without_muted(viewer, comments, by=COMMENT_MAKERS), owner="user")


def _comment_rows(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    return comments.select_related("pseud__user").annotate(chapter_position=F("chapter__position"))


def access_comment(viewer, comment_id: int) -> Comment:
    """A comment `viewer` may see, with `comment.work` fetched through access_work (so its
    Http404 and RestrictedWork apply) and `has_replies` set. A comment on a draft chapter is
    its work's creators' only; one held for review, its creators' and its author's. One staff
    hid (or a spammer's) is its author's and staff's; one on a chapter staff hid, its work's
    creators' and staff's."""
    comment = _comment_rows(Comment.objects.filter(pk=comment_id)).first()
    if comment is None:
        raise Http404("No such comment.")
    work = access_work(viewer, comment.work_id)
    creator = is_creator(viewer, work)
    own = viewer.is_authenticated and comment.user_id == viewer.pk
    staff = sees_hidden_content(viewer)
    chapters = Chapter.objects.filter(pk=comment.chapter_id, posted=True)
    chapter_posted = (chapters if staff else chapters.filter(hidden_by_admin=False)).exists()
    if not (creator or (chapter_posted and work.posted and (comment.approved or own))):
        raise Http404("No such comment.")
    # The pseud's user is the author, already loaded (_comment_rows).
    author_spammer = comment.pseud is not None and comment.pseud.user.spammer
    if (comment.hidden_by_admin or author_spammer) and not (own or staff):
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
    else one page of ids, the comments of those threads, and a count only when there is more
    than one page."""
    if not work.stats.comments_count:
        return CommentsSection(page=None, threads=[], total=0)
    roots = Comment.objects.filter(work=work, depth=0, approved=True)
    if chapter is not None:
        roots = roots.filter(chapter=chapter)
    else:
        # A chapter staff hid takes its comments with it (to its creators too: they read
        # them on the chapter's own page).
        roots = roots.filter(chapter__posted=True, chapter__hidden_by_admin=False)
    roots = _shown(viewer, roots)
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
    rows = _shown(viewer, rows)
    threads = _build_tree(list(_comment_rows(rows)), page_ids, max_depth=THREAD_DEPTH)
    return CommentsSection(page=page, threads=threads, total=paginator.count)


# Past any real page; a larger number (or a negative one, NaN, words) is clamped, so the
# OFFSET it becomes always fits the database's 64-bit integers.
MAX_COMMENT_PAGE = 1_000_000


def _page_number(value) -> int:
    try:
        return min(max(int(value), 1), MAX_COMMENT_PAGE)
    except (TypeError, ValueError, OverflowError):
        return 1


def comment_thread(viewer, comment: Comment) -> list[Comment]:
    """The comment (fetched through access_comment) and its replies THREAD_DEPTH levels deep,
    nested, for the thread's own page. Empty when the viewer muted its author. One query."""
    replies = Q(
        thread_id=comment.thread_id,
        depth__gt=comment.depth,
        depth__lte=comment.depth + THREAD_DEPTH,
        approved=True,
    )
    # The comment itself is read again with its replies, so that the mute filter decides
    # about it too (it may be its author's own comment, held for review: no `approved` here).
    shown = without_muted(
        viewer,
        without_hidden(viewer, Comment.objects.filter(replies), owner="user")
        | Comment.objects.filter(pk=comment.pk),
        by=COMMENT_MAKERS,
    )
    rows = list(_comment_rows(shown))
    if not any(row.pk == comment.pk for row in rows):
        return []  # the viewer muted its author
    replies_shown = [row for row in rows if row.pk != comment.pk]
    return _build_tree([comment, *replies_shown], [comment.pk], max_depth=THREAD_DEPTH)


def unreviewed_comments(work: Work) -> list[Comment]:
    """Comments on `work` held for its creators' review, oldest first."""
    rows = Comment.objects.filter(work=work, approved=False, deleted=False).order_by("id")
    return list(_comment_rows(rows))


def comment_rate_limited(user, ip_hash: str) -> bool:
    """Whether the comment rate limit applies to this account (one younger than
    COMMENT_NEW_ACCOUNT_DAYS) or guest address. No query."""
    if user.is_authenticated:
        cutoff = timezone.now() - timedelta(days=settings.COMMENT_NEW_ACCOUNT_DAYS)
        return user.date_joined > cutoff
    return bool(ip_hash)


def comment_rate_reopens(user, ip_hash: str) -> datetime | None:
    """When this new account (younger than COMMENT_NEW_ACCOUNT_DAYS), or this guest IP, may
    comment again, having posted COMMENT_RATE_LIMIT comments in the last
    COMMENT_RATE_MINUTES; None when it may now (for older accounts, without a query)."""
    if not comment_rate_limited(user, ip_hash):
        return None
    if user.is_authenticated:
        mine = Comment.objects.filter(user=user)
    else:
        mine = Comment.objects.filter(user__isnull=True, ip_hash=ip_hash)
    limit, window = settings.COMMENT_RATE_LIMIT, timedelta(minutes=settings.COMMENT_RATE_MINUTES)
    recent = list(
        mine.filter(created_at__gt=timezone.now() - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[-1] + window


def comment_rate_message(user, again: datetime) -> str:
    """The refusal comment_rate_reopens() means, saying when the commenter may post again."""
    who = "New accounts" if user.is_authenticated else "Guests"
    limit = settings.COMMENT_RATE_LIMIT
    minutes = max(1, -int(-(again - timezone.now()).total_seconds() // 60))
    return (
        f"{who} can post at most {limit} comments every {settings.COMMENT_RATE_MINUTES} "
        f"minutes. You can comment again in {minutes} minute{'s' if minutes != 1 else ''} "
        f"(at {again:%H:%M} UTC). Your comment is below, unposted."
    )


def comment_rate_refusal(user, ip_hash: str) -> str | None:
    """Why this new account or guest IP may not comment now (comment_rate_reopens), or None."""
    again = comment_rate_reopens(user, ip_hash)
    return comment_rate_message(user, again) if again is not None else None
