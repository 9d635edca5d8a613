"""Changing a login (AO3-INVENTORY §1.7: at most once every 7 days). The old name is kept in
PastUsername: /users/<old>/... redirects to the new name (accounts.middleware), and while the
account exists nobody else may take the old name, so a redirect never leads to a stranger's
page. AO3 frees the old name at once; Quire frees it only when the account is deleted (the
rows go with it). The owner may take a past name of their own back."""

from django.db import IntegrityError, transaction

from quire.works.versions import do_bump_work_versions

from ..models import PastUsername, Pseud, User
from .pseuds import pseud_work_ids


class UsernameTaken(Exception):
    """Another account took the name between the form's check and the change."""


def do_change_username(user: User, new: str) -> User:
    """Give `user` the login `new` (checked by the caller: validators, username_refusal,
    next_username_change). The old name is recorded for redirects; the default pseud named
    after the old login takes the new name (or, when the user already has a pseud of the new
    name, that pseud becomes the default). Every byline shows the login, so all the user's
    works get a new version. Raises UsernameTaken, changing nothing, when another account
    took `new` after the caller checked it (the unique constraint decides the race)."""
    old = user.username
    try:
        with transaction.atomic():
            _change(user, old, new)
    except IntegrityError:
        user.username = old
        raise UsernameTaken(new) from None
    return user


def _change(user: User, old: str, new: str) -> None:
    with transaction.atomic():
        user.username = new
        user.save(update_fields=["username"])
        PastUsername.objects.create(user=user, username=old)
        default = Pseud.objects.filter(user=user, is_default=True).first()
        same_name = Pseud.objects.filter(user=user, name__iexact=new).first()
        if same_name is not None and (default is None or same_name.pk != default.pk):
            Pseud.objects.filter(user=user, is_default=True).update(is_default=False)
            Pseud.objects.filter(pk=same_name.pk).update(is_default=True)
        elif default is not None and default.name.lower() == old.lower():
            default.name = new
            default.save(update_fields=["name"])
        do_bump_work_versions(pseud_work_ids(user.pseuds.values_list("pk", flat=True)))
