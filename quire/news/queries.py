"""Reads of news posts and their comments. Drafts are staff's only: every read of posts goes
through visible_posts (or published_posts, for pages no staff member sees differently)."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from quire.accounts.queries import without_muted
from quire.lib.numbers import INT64_MAX, bounded_int, page_number
from quire.lib.sanitize import MarkupTooDeep, strip_html
from quire.social.queries.comments import THREAD_DEPTH, _build_tree, comment_rate_limited

from .models import TAG_NAME_MAX, NewsComment, NewsPost, NewsTag
from .permissions import can_see_drafts

POSTS_PER_PAGE = 10
FEED_ENTRIES = 20
COMMENTS_PER_PAGE = 20  # top-level comments per page, as on works
COMMENT_MAKERS = ("user",)  # for accounts.queries.without_muted


def published_posts() -> QuerySet[NewsPost]:
    return NewsPost.objects.filter(published_at__isnull=False)


def visible_posts(viewer) -> QuerySet[NewsPost]:
    """The posts `viewer` may read: published ones; staff see drafts too."""
    if can_see_drafts(viewer):
        return NewsPost.objects.all()
    return published_posts()


def _newest_first(posts: QuerySet[NewsPost]) -> QuerySet[NewsPost]:
    # Drafts (no published_at) first for staff: they are the ones being worked on.
    return posts.order_by(F("published_at").desc(nulls_first=True), "-created_at", "-id")


def access_post(viewer, post_id: int) -> NewsPost:
    """A post `viewer` may read, with its author and tags; a draft is a 404 to all but
    staff, exactly as a missing post is."""
    if not 0 < post_id <= INT64_MAX:
        raise Http404("No such news post.")
    post = (
        visible_posts(viewer)
        .select_related("author")
        .prefetch_related("tags")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404("No such news post.")
    return post


_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def find_tag(raw: str | None) -> NewsTag | None:
    """The tag ?tag= names, by id (AO3's filter) or by name (any case); None if none does."""
    text = (raw or "").strip()
    if not text:
        return None
    number = bounded_int(text, low=1)
    if number is not None:
        return None if number.clamped else NewsTag.objects.filter(pk=number.value).first()
    if _CONTROL.search(text) or len(text) > TAG_NAME_MAX:
        return None  # no tag's name has one (PostgreSQL refuses a NUL in a query anyway)
    return NewsTag.objects.filter(name__iexact=text).first()


def post_page(viewer, *, tag: NewsTag | None, page: str | None) -> Page:
    """One page of the posts `viewer` may read (with `tag`, when given), newest first, each
    with its `comment_count` (AO3's "Read 3 Comments")."""
    posts = visible_posts(viewer)
    if tag is not None:
        posts = posts.filter(tags=tag)
    posts = (
        _newest_first(posts)
        .select_related("author")
        .prefetch_related("tags")
        .annotate(comment_count=Count("comments", filter=Q(comments__deleted=False)))
    )
    return Paginator(posts, POSTS_PER_PAGE).get_page(page_number(page))


def tags_in_use(viewer) -> list[NewsTag]:
    """The tags of the posts `viewer` may read, for the filter menu: a draft's tag that no
    published post has is staff's to know."""
    posts = visible_posts(viewer)
    return list(NewsTag.objects.filter(posts__in=posts).distinct().order_by("name"))


def feed_posts() -> list[NewsPost]:
    """The newest published posts, for the Atom feed."""
    posts = published_posts().order_by("-published_at", "-id").prefetch_related("tags")
    return list(posts.select_related("author")[:FEED_ENTRIES])


def newest_post() -> NewsPost | None:
    """The newest published post, for the front page: one query."""
    return (
        published_posts()
        .only("id", "title", "body", "published_at")
        .order_by("-published_at", "-id")
        .first()
    )


_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)


def first_paragraph(body: str) -> str:
    """The plain text of a post's first non-empty paragraph (its whole text when it has no
    <p>), for the front page."""
    for match in _PARAGRAPH.finditer(body):
        text = _plain(match.group(1))
        if text:
            return text
    return _plain(body)


def _plain(html: str) -> str:
    try:
        return " ".join(strip_html(html).split())
    except MarkupTooDeep:
        return ""


# Comments ----------------------------------------------------------------------------------


def _comment_rows(comments: QuerySet[NewsComment]) -> QuerySet[NewsComment]:
    return comments.select_related("pseud__user")


def _tree(rows: list[NewsComment], top_ids: list[int]) -> list[NewsComment]:
    """social's threading (_build_tree reads only pk, parent_id, depth and created_at, which
    NewsComment shares with Comment), THREAD_DEPTH levels deep."""
    return cast(
        list[NewsComment], _build_tree(cast(list[Any], rows), top_ids, max_depth=THREAD_DEPTH)
    )


@dataclass
class NewsComments:
    """One page of a post's comment threads, nested for display."""

    page: Page | None
    threads: list[NewsComment]
    total: int


def comment_section(viewer, post: NewsPost, page: str | None) -> NewsComments:
    """A page of top-level comments, oldest first, with their replies THREAD_DEPTH levels deep
    (social's rule); comments by users the viewer muted are left out with their replies."""
    roots = without_muted(viewer, NewsComment.objects.filter(post=post, depth=0), by=COMMENT_MAKERS)
    paginator = Paginator(roots.order_by("id").values_list("pk", flat=True), COMMENTS_PER_PAGE)
    if not paginator.count:
        return NewsComments(page=None, threads=[], total=0)
    current = paginator.get_page(page_number(page))
    top_ids = list(current.object_list)
    rows = without_muted(
        viewer,
        NewsComment.objects.filter(thread_id__in=top_ids, depth__lte=THREAD_DEPTH),
        by=COMMENT_MAKERS,
    )
    threads = _tree(list(_comment_rows(rows)), top_ids)
    return NewsComments(page=current, threads=threads, total=paginator.count)


def access_news_comment(viewer, post: NewsPost, comment_id: int) -> NewsComment:
    """A comment on `post` (fetched through access_post), with `has_replies` set."""
    if not 0 < comment_id <= INT64_MAX:
        raise Http404("No such comment.")
    comment = _comment_rows(NewsComment.objects.filter(pk=comment_id, post=post)).first()
    if comment is None:
        raise Http404("No such comment.")
    comment.has_replies = NewsComment.objects.filter(parent_id=comment.pk).exists()
    return comment


def comment_thread(viewer, comment: NewsComment) -> list[NewsComment]:
    """The comment and its replies THREAD_DEPTH levels deep, nested; empty when the viewer
    muted its author."""
    shown = Q(
        thread_id=comment.thread_id,
        depth__gt=comment.depth,
        depth__lte=comment.depth + THREAD_DEPTH,
    ) | Q(pk=comment.pk)
    rows = list(
        _comment_rows(without_muted(viewer, NewsComment.objects.filter(shown), by=COMMENT_MAKERS))
    )
    if not any(row.pk == comment.pk for row in rows):
        return []
    return _tree(rows, [comment.pk])


def comment_page_of(comment: NewsComment) -> int:
    """Which page of its post's comments shows `comment`'s thread."""
    earlier = NewsComment.objects.filter(post_id=comment.post_id, depth=0, id__lt=comment.thread_id)
    return earlier.count() // COMMENTS_PER_PAGE + 1


def news_comment_rate_refusal(user, ip_hash: str) -> str | None:
    """social's rule for news comments: a new account (younger than
    COMMENT_NEW_ACCOUNT_DAYS) or a guest address posts at most COMMENT_RATE_LIMIT in every
    COMMENT_RATE_MINUTES. None, without a query, for older accounts."""
    if not comment_rate_limited(user, ip_hash):
        return None
    now = timezone.now()
    if user.is_authenticated:
        mine = NewsComment.objects.filter(user=user)
    else:
        mine = NewsComment.objects.filter(user__isnull=True, ip_hash=ip_hash)
    limit, minutes = settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_MINUTES
    recent = list(
        mine.filter(created_at__gt=now - timedelta(minutes=minutes))
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    wait = max(1, -int(-(recent[-1] + timedelta(minutes=minutes) - now).total_seconds() // 60))
    return (
        f"You can post at most {limit} comments every {minutes} minutes. You can comment "
        f"again in {wait} minute{'s' if wait != 1 else ''}. Your comment is below, unposted."
    )
