"""Writes of news posts (staff; every change logged with moderation.actions.do_log) and of
their comments. No permission checks here: the views check."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from quire.lib.sanitize import format_user_text
from quire.moderation.actions import do_log
from quire.social.actions import CommentInput
from quire.social.actions.comments import _lock_commenter, comment_row_fields
from quire.social.visitors import hash_ip

from .models import NewsComment, NewsPost, NewsTag


class NewsCommentError(Exception):
    """The comment can't be written as asked; the message is for the reader."""


@dataclass
class NewsPostInput:
    """A checked news post form: the body as typed (sanitized by the actions), tag names."""

    title: str
    body: str
    tag_names: list[str] = field(default_factory=list)
    published: bool = False
    comments_allowed: bool = True


def _tags(names: list[str]) -> list[NewsTag]:
    """The tags named, found whatever their case, the missing ones made."""
    wanted = {name.lower(): name for name in names}
    found: dict[str, NewsTag] = {
        tag.lname: tag
        for tag in NewsTag.objects.annotate(lname=Lower("name")).filter(lname__in=list(wanted))
    }
    for lowered, name in wanted.items():
        if lowered not in found:
            try:
                with transaction.atomic():
                    found[lowered] = NewsTag.objects.create(name=name)
            except IntegrityError:  # made meanwhile by another post
                found[lowered] = NewsTag.objects.get(name__iexact=name)
    return [found[lowered] for lowered in wanted]


def _apply(post: NewsPost, data: NewsPostInput, now) -> None:
    post.title = data.title
    post.body = format_user_text(data.body)
    post.comments_allowed = data.comments_allowed
    post.updated_at = now
    if data.published and post.published_at is None:
        post.published_at = now
    elif not data.published:
        post.published_at = None


def do_create_news_post(data: NewsPostInput, *, by) -> NewsPost:
    """Write a news post (a draft unless `data.published`) with its tags, and log it.
    `by` is the staff member writing it (its author)."""
    now = timezone.now()
    with transaction.atomic():
        post = NewsPost(author=by, created_at=now)
        _apply(post, data, now)
        post.save()
        post.tags.set(_tags(data.tag_names))
        do_log(by, "news.create", post, note="published" if post.published else "draft")
    return post


def do_update_news_post(post: NewsPost, data: NewsPostInput, *, by) -> NewsPost:
    """Change a post. Publishing a draft dates it now (and so opens its comments for
    NEWS_COMMENT_DAYS); saving a published post keeps its date; unpublishing makes it a draft
    again. Logged."""
    was_published = post.published
    with transaction.atomic():
        _apply(post, data, timezone.now())
        post.save()
        post.tags.set(_tags(data.tag_names))
        note = ""
        if post.published != was_published:
            note = "published" if post.published else "unpublished"
        do_log(by, "news.update", post, note=note)
    return post


def do_delete_news_post(post: NewsPost, *, by) -> None:
    """Delete a post with its comments; the log keeps its title."""
    with transaction.atomic():
        do_log(by, "news.delete", post)
        post.delete()


# Comments ----------------------------------------------------------------------------------


def do_create_news_comment(
    post: NewsPost,
    *,
    user,
    data: CommentInput,
    parent: NewsComment | None = None,
    ip: str | None = None,
) -> NewsComment:
    """Post a comment on `post` (a reply when `parent` is given). The caller read the post
    through access_post and checked news_comment_refusal; the text is sanitized here."""
    if user is not None and not user.is_authenticated:
        user = None
    with transaction.atomic():
        comment = NewsComment.objects.create(
            post=post, **comment_row_fields(user=user, data=data, parent=parent, ip=ip)
        )
        if parent is None:
            comment.thread_id = comment.pk
            NewsComment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
    return comment


def check_post_news_comment(
    post: NewsPost,
    *,
    user,
    data: CommentInput,
    parent: NewsComment | None = None,
    ip: str | None = None,
) -> NewsComment:
    """do_create_news_comment within social's comment rate limit of new accounts and guests
    (queries.news_comment_rate_refusal), counted under the commenter's lock as
    social.actions.check_post_comment does. Raises NewsCommentError, writing nothing."""
    from django.contrib.auth.models import AnonymousUser

    from quire.social.queries import comment_rate_limited

    from .queries import news_comment_rate_refusal

    if user is not None and not user.is_authenticated:
        user = None
    reader = user or AnonymousUser()
    ip_hash = hash_ip(ip) if ip else ""
    with transaction.atomic():
        if comment_rate_limited(reader, ip_hash):
            _lock_commenter(user, ip_hash)
            refusal = news_comment_rate_refusal(reader, ip_hash)
            if refusal:
                raise NewsCommentError(refusal)
        return do_create_news_comment(post, user=user, data=data, parent=parent, ip=ip)


def do_delete_news_comment(comment: NewsComment, *, by) -> None:
    """Delete a comment (the caller checked `by` is its author or news staff). One with
    replies stays as a placeholder; one without goes, with every placeholder above it left
    with no reply. Staff deleting another's comment is logged."""
    with transaction.atomic():
        if by is not None and comment.user_id != by.pk:
            do_log(by, "news.delete_comment", comment, subject=comment.user)
        if NewsComment.objects.filter(parent_id=comment.pk).exists():
            NewsComment.objects.filter(pk=comment.pk).update(deleted=True, content="")
            return
        parent_id = comment.parent_id
        NewsComment.objects.filter(pk=comment.pk).delete()
        while parent_id is not None:
            parent = (
                NewsComment.objects.filter(pk=parent_id, deleted=True).values("parent_id").first()
            )
            if parent is None or NewsComment.objects.filter(parent_id=parent_id).exists():
                return
            NewsComment.objects.filter(pk=parent_id).delete()
            parent_id = parent["parent_id"]
