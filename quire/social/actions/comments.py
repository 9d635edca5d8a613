"""Writes of comments: posting (within the rate limit), editing, approving, deleting,
freezing, and delivery to inboxes."""

import hashlib
import math
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from quire.accounts.models import Preference, Pseud, User
from quire.accounts.queries import muted_user_ids
from quire.lib.sanitize import MarkupTooDeep, format_user_text, strip_html
from quire.works.models import Chapter, Work, WorkStats
from quire.works.pagecache import expire_work_pages
from quire.works.permissions import creator_user_ids

from ..models import Comment, InboxComment
from ..permissions import comment_needs_review
from ..visitors import hash_ip
from .comment_emails import schedule_comment_emails

# An edit changing more characters than this sends an approved comment on a moderated work
# back for review.
SIGNIFICANT_EDIT = 10
EDIT_AFTER_REPLY = "Comments can't be edited once someone has replied to them."
EDIT_FROZEN = "Frozen comments can't be edited."


class CommentError(Exception):
    """The comment can't be written as asked; the message is for the reader."""


class CommentRateLimited(CommentError):
    """Past the comment rate limit; `retry_after` is the number of seconds until the
    commenter may post again (the 429's Retry-After)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


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


def _uncounted(hidden: bool, author) -> bool:
    """Whether an approved comment is out of WorkStats.comments_count all the same: staff hid
    it, or its author is marked as a spammer (quire.moderation keeps the count for those)."""
    return hidden or bool(getattr(author, "spammer", False))


def _expire(work_id: int) -> None:
    """Comments show only in the work page's live parts (the comments section and the stats),
    never in a fragment cached by Work.version: expiring guests' whole pages is enough."""
    expire_work_pages([work_id])
    transaction.on_commit(lambda: expire_work_pages([work_id]))


def _deliver(comment: Comment, work: Work) -> None:
    """Put a visible comment in the inboxes of the work's creators and of the author of the
    comment it answers: never the commenter's own, nor someone who muted the commenter, nor
    someone whose preferences turn comment messages off. A second delivery (an edit approved
    again) adds nothing to inboxes, and e-mails again, as AO3 does of edited comments. The
    e-mails are comment_emails' task."""
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
    # E-mails (and the commenter's own copy) follow each one's preferences, in a task.
    if recipients or comment.user_id:
        schedule_comment_emails(comment, recipients)
    # "Turn off messages to your inbox about comments".
    inbox_off = (
        set(
            Preference.objects.filter(user_id__in=recipients, comment_inbox_off=True).values_list(
                "user_id", flat=True
            )
        )
        if recipients
        else set()
    )
    inbox = recipients - inbox_off
    InboxComment.objects.bulk_create(
        [InboxComment(user_id=user_id, comment=comment) for user_id in sorted(inbox)],
        ignore_conflicts=True,
    )


def comment_row_fields(*, user, data: CommentInput, parent, ip: str | None) -> dict:
    """The fields every comment row takes from its input, whatever it is on (a work's
    Comment, a news post's NewsComment): its place in the thread, who signed it (an account's
    pseud, or a guest's name and e-mail with a hash of the address), the sanitized text."""
    return {
        "parent": parent,
        "thread_id": parent.thread_id if parent is not None else None,
        "depth": parent.depth + 1 if parent is not None else 0,
        "user": user,
        "pseud": data.pseud if user is not None else None,
        "guest_name": "" if user is not None else data.guest_name,
        "guest_email": "" if user is not None else data.guest_email,
        "ip_hash": hash_ip(ip) if user is None and ip else "",
        "content": format_user_text(data.content),
    }


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
            approved=approved,
            **comment_row_fields(user=user, data=data, parent=parent, ip=ip),
        )
        if parent is None:
            comment.thread_id = comment.pk
            Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
        # A spammer's comment is hidden from the start (moderation): neither counted nor
        # delivered.
        if approved and not getattr(user, "spammer", False):
            _change_comment_count(work.pk, 1)
            _deliver(comment, work)
            _expire(work.pk)
    return comment


def check_post_comment(
    work: Work,
    chapter: Chapter,
    *,
    user,
    data: CommentInput,
    parent: Comment | None = None,
    ip: str | None = None,
) -> Comment:
    """Post a comment as do_create_comment does, within the rate limit of new accounts and
    guests (queries.comment_rate_refusal): counted and inserted in one transaction that holds
    the commenter's lock, so posts racing each other are counted one after another. Raises
    CommentRateLimited with the limit's message, writing nothing, once the limit is reached."""
    from ..queries import comment_rate_limited, comment_rate_message, comment_rate_reopens

    if user is not None and not user.is_authenticated:
        user = None
    reader = user or AnonymousUser()
    ip_hash = hash_ip(ip) if ip else ""
    with transaction.atomic():
        if comment_rate_limited(reader, ip_hash):
            _lock_commenter(user, ip_hash)
            again = comment_rate_reopens(reader, ip_hash)
            if again is not None:
                wait = math.ceil((again - timezone.now()).total_seconds())
                raise CommentRateLimited(comment_rate_message(reader, again), retry_after=wait)
        return do_create_comment(work, chapter, user=user, data=data, parent=parent, ip=ip)


def _lock_commenter(user, ip_hash: str) -> None:
    """Hold, until the transaction ends, a lock of this account (or guest address): a
    PostgreSQL advisory lock on a hash of the key. SQLite needs none, as its writers take
    the database one at a time (IMMEDIATE transactions)."""
    if connection.vendor != "postgresql":
        return
    key = f"comment-rate:user:{user.pk}" if user is not None else f"comment-rate:ip:{ip_hash}"
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _plain(stored: str) -> str:
    """A stored comment's text without its markup; one stored before the nesting limit
    existed may be nested past it, and is then compared as it is (never a 500 on edit)."""
    try:
        return strip_html(stored)
    except MarkupTooDeep:
        return stored


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

    Raises CommentError, writing nothing, once the comment has a reply or is frozen. On a
    moderated work an approved comment whose text changed by more than SIGNIFICANT_EDIT
    characters goes back for review (and out of WorkStats.comments_count) unless its author is
    a creator.
    """
    with transaction.atomic():
        locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None or locked.deleted:
            raise CommentError("That comment has been deleted.")
        if locked.frozen:
            raise CommentError(EDIT_FROZEN)
        if Comment.objects.filter(parent_id=comment.pk).exists():
            raise CommentError(EDIT_AFTER_REPLY)
        formatted = format_user_text(content)
        changed = _changed_characters(_plain(locked.content), strip_html(formatted))
        back_to_review = (
            locked.approved and changed > SIGNIFICANT_EDIT and comment_needs_review(by, work)
        )
        comment.content = formatted
        comment.edited_at = timezone.now()
        comment.approved = locked.approved and not back_to_review
        comment.save(update_fields=["content", "edited_at", "approved"])
        if back_to_review and not _uncounted(locked.hidden_by_admin, by):
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
        hidden, spammer = (
            Comment.objects.filter(pk=comment.pk).values_list("hidden_by_admin", "user__spammer")
        ).get()
        if hidden or spammer:
            return  # shown (and counted) when staff unhide it, or unmark its author
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
            .values("approved", "deleted", "parent_id", "work_id", "hidden_by_admin", "user_id")
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
        spammer = User.objects.filter(pk=row["user_id"], spammer=True).exists()
        if row["approved"] and not row["hidden_by_admin"] and not spammer:
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
    from ..queries import subtree_ids

    with transaction.atomic():
        changed = Comment.objects.filter(pk__in=subtree_ids(comment)).update(frozen=frozen)
        _expire(comment.work_id)
    return changed
