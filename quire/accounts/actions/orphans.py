"""Orphaning (AO3's /orphans): works and series move to the shared orphan account, for good.

The orphan account is an ordinary account named ORPHAN_USERNAME, made on first use through
do_create_user, with no password and no e-mail, so nobody can log in to it or reset its
password; the name is reserved (queries.RESERVED_USERNAMES) so nobody can sign up as it.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import Lower

from quire.works.versions import do_bump_work_versions

from ..models import Pseud, User
from .pseuds import move_pseud_credits
from .users import do_create_default_pseud, do_create_user

ORPHAN_USERNAME = "orphan_account"


def do_get_orphan_account() -> User:
    """The orphan account, made now if this is the first orphaning."""
    with transaction.atomic():
        account = User.objects.filter(username=ORPHAN_USERNAME).first()
        if account is None:
            account = do_create_user(ORPHAN_USERNAME, None, None)
        do_create_default_pseud(account)
    return account


def orphan_pseud_for(pseud: Pseud | None, *, keep_name: bool) -> Pseud:
    """The orphan account's pseud that takes over `pseud`'s works: one of the same name when
    the creator keeps their pseud's name on them (made if need be), else its default."""
    account = do_get_orphan_account()
    if not keep_name or pseud is None:
        return account.pseuds.get(is_default=True)
    found = (
        Pseud.objects.annotate(lname=Lower("name"))
        .filter(user=account, lname=pseud.name.lower())
        .first()
    )
    return found or Pseud.objects.create(user=account, name=pseud.name)


def do_orphan(
    user: User,
    *,
    work_ids: Iterable[int] = (),
    series_ids: Iterable[int] = (),
    pseuds: Iterable[Pseud] | None = None,
    keep_name: bool,
) -> list[int]:
    """Move `user`'s credit on these works and series to the orphan account, pseud by pseud
    (each to an orphan pseud of its name when `keep_name`, else to the orphan account's
    default). Only `user`'s credit moves: a co-creator keeps theirs. `pseuds` limits it to
    those of the user's pseuds. Cannot be undone. Returns the works that changed; they get a
    new version (their byline changed)."""
    work_ids, series_ids = list(work_ids), list(series_ids)
    with transaction.atomic():
        own = list(pseuds) if pseuds is not None else list(user.pseuds.all())
        changed: set[int] = set()
        for pseud in own:
            on_works = set(
                pseud.creatorships.filter(work_id__in=work_ids).values_list("work_id", flat=True)
            )
            on_series = set(pseud.series.filter(pk__in=series_ids).values_list("pk", flat=True))
            if not on_works and not on_series:
                continue
            target = orphan_pseud_for(pseud, keep_name=keep_name)
            move_pseud_credits([pseud.pk], target, work_ids=on_works, series_ids=on_series)
            changed |= on_works
        do_bump_work_versions(sorted(changed))
    return sorted(changed)
