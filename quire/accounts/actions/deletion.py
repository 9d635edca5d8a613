"""Deleting an account (AO3's DELETE /users/:login), after the owner chose, for each work and
series they alone created, to orphan it (keeping their pseud's name or not) or delete it.
Works and series they created with someone else stay with those others, less this user."""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from django.db import transaction
from django.db.models import F

from quire.social.actions import do_delete_bookmark, do_delete_comment
from quire.social.models import Comment, Kudo
from quire.works.actions import do_delete_work
from quire.works.models import Series, Work, WorkStats
from quire.works.versions import do_bump_work_versions

from ..models import User
from .orphans import do_orphan


class Fate(StrEnum):
    """What becomes of a work or series the user alone created."""

    ORPHAN_KEEP_NAME = "orphan_pseud"  # to the orphan account, under their pseud's name
    ORPHAN = "orphan"  # to the orphan account's default pseud
    DELETE = "delete"


@dataclass
class DeletionPlan:
    """The owner's choices, by work and series id (only those they alone created)."""

    works: dict[int, Fate] = field(default_factory=dict)
    series: dict[int, Fate] = field(default_factory=dict)


def do_delete_account(user: User, plan: DeletionPlan) -> None:
    """Delete `user` and everything of theirs, in one transaction: sole-created works and
    series as `plan` says (the caller checked it names every one of them: the view's preview),
    co-created ones lose only this user's credit; then bookmarks (counts kept right), comments
    (a comment others replied to stays as "deleted", without its author), kudos (counts kept
    right), and the account with its pseuds, preferences and the rest (cascades)."""
    with transaction.atomic():
        for fate, keep in ((Fate.ORPHAN_KEEP_NAME, True), (Fate.ORPHAN, False)):
            do_orphan(
                user,
                work_ids=[pk for pk, chosen in plan.works.items() if chosen == fate],
                series_ids=[pk for pk, chosen in plan.series.items() if chosen == fate],
                keep_name=keep,
            )
        for work in Work.objects.filter(
            pk__in=[pk for pk, fate in plan.works.items() if fate == Fate.DELETE]
        ):
            do_delete_work(work)
        Series.objects.filter(
            pk__in=[pk for pk, fate in plan.series.items() if fate == Fate.DELETE]
        ).delete()
        # Co-created works and series: the others keep them; this user's pseuds leave the
        # bylines when the pseuds go with the account, below.
        pseud_ids = list(user.pseuds.values_list("pk", flat=True))
        co_created = list(
            Work.objects.filter(creatorships__pseud_id__in=pseud_ids)
            .values_list("pk", flat=True)
            .distinct()
        )
        for bookmark in user.bookmarks.all():
            do_delete_bookmark(bookmark)
        for comment in Comment.objects.filter(user=user, deleted=False):
            do_delete_comment(comment)
        # Placeholders kept for their replies outlive the account, nameless.
        Comment.objects.filter(user=user).update(user=None, pseud=None)
        kudos = Counter(Kudo.objects.filter(user=user).values_list("work_id", flat=True))
        for work_id, count in kudos.items():
            WorkStats.objects.filter(work_id=work_id).update(kudos_count=F("kudos_count") - count)
        icons = [pseud.icon for pseud in user.pseuds.exclude(icon="") if pseud.icon.name]
        user.delete()
        do_bump_work_versions(co_created)
        for icon in icons:  # the files, once the rows are surely gone
            transaction.on_commit(partial(icon.storage.delete, str(icon.name)))
