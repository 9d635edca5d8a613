"""Staff hiding comments and bookmarks, and the counts a spammer's mark moves. quire.moderation
decides and logs; these write the flags and keep WorkStats' counters equal to what readers
see: a comment or a public bookmark staff hid, or a spammer's, is not counted."""

from collections import Counter

from django.db import transaction
from django.db.models import Count, F

from quire.tags.audience import refresh_tag_audience
from quire.works.models import WorkStats

from ..models import Bookmark, Comment
from .comments import _change_comment_count, _expire


def do_set_comment_hidden(comment: Comment, *, hidden: bool) -> Comment:
    """Hide a comment (its replies go with it for readers) or show it again. An approved,
    undeleted comment by a user not marked as a spammer moves WorkStats.comments_count by
    one. The work's guest pages expire. Setting the flag it has does nothing."""
    with transaction.atomic():
        row = (
            Comment.objects.select_for_update(of=("self",))
            .filter(pk=comment.pk)
            .values_list("hidden_by_admin", "approved", "deleted", "user__spammer")
            .first()
        )
        if row is None or row[0] == hidden:
            return comment
        _, approved, deleted, spammer = row
        Comment.objects.filter(pk=comment.pk).update(hidden_by_admin=hidden)
        comment.hidden_by_admin = hidden
        if approved and not deleted and not spammer:
            _change_comment_count(comment.work_id, -1 if hidden else 1)
        _expire(comment.work_id)
    return comment


def do_set_bookmark_hidden(bookmark: Bookmark, *, hidden: bool) -> Bookmark:
    """Hide a bookmark from everyone but its owner and staff, or show it again. A public
    bookmark of a work by a user not marked as a spammer moves WorkStats.bookmarks_count by
    one; its tags' audience is refreshed (a hidden bookmark shows no tag name)."""
    with transaction.atomic():
        row = (
            Bookmark.objects.select_for_update(of=("self",))
            .filter(pk=bookmark.pk)
            .values_list("hidden_by_admin", "private", "owner__spammer")
            .first()
        )
        if row is None or row[0] == hidden:
            return bookmark
        _, private, spammer = row
        Bookmark.objects.filter(pk=bookmark.pk).update(hidden_by_admin=hidden)
        bookmark.hidden_by_admin = hidden
        refresh_tag_audience(bookmark.tags.values_list("pk", flat=True))
        if bookmark.work_id is not None and not private and not spammer:
            _change_counts("bookmarks_count", Counter({bookmark.work_id: -1 if hidden else 1}))
    return bookmark


def do_recount_for_spammer(user, *, spammer: bool) -> set[int]:
    """Move the counters of the works `user` commented on and bookmarked by what their mark
    as a spammer hides (spammer=True: take away) or shows again (False), and refresh their
    bookmarks' tags. Call it in the transaction that sets User.spammer, after setting it:
    only comments and bookmarks not hidden for another reason count. Returns the ids of the
    works whose counts moved (their guest pages were expired)."""
    sign = -1 if spammer else 1
    comments = Counter(
        dict(
            Comment.objects.filter(user=user, approved=True, deleted=False, hidden_by_admin=False)
            .values_list("work_id")
            .annotate(n=Count("id"))
            .values_list("work_id", "n")
        )
    )
    bookmarks = Counter(
        dict(
            Bookmark.objects.filter(
                owner=user, private=False, hidden_by_admin=False, work__isnull=False
            )
            .values_list("work_id")
            .annotate(n=Count("id"))
            .values_list("work_id", "n")
        )
    )
    _change_counts("comments_count", Counter({k: sign * v for k, v in comments.items()}))
    _change_counts("bookmarks_count", Counter({k: sign * v for k, v in bookmarks.items()}))
    refresh_tag_audience(
        Bookmark.tags.through.objects.filter(bookmark__owner=user).values_list("tag_id", flat=True)
    )
    return set(comments) | set(bookmarks)


def _change_counts(field: str, deltas: Counter) -> None:
    for work_id, delta in deltas.items():
        if delta:
            WorkStats.objects.filter(work_id=work_id).update(**{field: F(field) + delta})
            _expire(work_id)
