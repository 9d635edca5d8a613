"""Spam: marking a user as a spammer (everything of theirs hidden, reversibly) and deleting
comments in bulk. No permission checks here: the staff views check."""

from django.db import transaction

from quire.accounts.models import User
from quire.social.actions import do_delete_comment, do_recount_for_spammer
from quire.social.models import Comment
from quire.works.models import SerialWork, Work
from quire.works.versions import do_bump_work_versions

from .log import do_log


def do_mark_spammer(actor: User, user: User, note: str = "") -> None:
    """Mark `user` as a spammer: their works, series, bookmarks, comments and pseuds leave
    every page, listing, count and download for everyone but them and staff.

    It is one flag (User.spammer) that each reading door tests, not a hiding of each item,
    so unmarking shows again exactly what was shown before, and nothing staff hid for
    another reason. One transaction: the flag, the counters of the works they commented on
    or bookmarked, a version bump of their works and of the works of their series (search
    index, blurbs and guest pages follow), and the log entry. Marking a spammer again does
    nothing."""
    _set_spammer(actor, user, spammer=True, note=note)


def do_unmark_spammer(actor: User, user: User, note: str = "") -> None:
    """Undo do_mark_spammer: the same writes the other way."""
    _set_spammer(actor, user, spammer=False, note=note)


def _set_spammer(actor: User, user: User, *, spammer: bool, note: str) -> None:
    with transaction.atomic():
        if not User.objects.filter(pk=user.pk).exclude(spammer=spammer).update(spammer=spammer):
            return
        user.spammer = spammer
        do_recount_for_spammer(user, spammer=spammer)
        works = set(
            Work.objects.filter(creatorships__pseud__user=user).values_list("pk", flat=True)
        )
        works |= set(
            SerialWork.objects.filter(series__pseuds__user=user).values_list("work_id", flat=True)
        )
        do_bump_work_versions(sorted(works))
        do_log(actor, "mark_spammer" if spammer else "unmark_spammer", user, note=note)


def do_delete_comments(actor: User, comments: list[Comment], note: str = "") -> int:
    """Delete these comments as spam, each through the social app's do_delete_comment (one
    with replies stays as a placeholder, as there), each logged, all in one transaction.
    Returns how many were deleted."""
    with transaction.atomic():
        for comment in comments:
            do_log(actor, "delete_comment", comment, subject=comment.user, note=note)
            do_delete_comment(comment)
    return len(comments)
