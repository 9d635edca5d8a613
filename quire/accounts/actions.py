"""Writes for accounts, pseuds and preferences. No permission checks here: callers check."""

from typing import Literal, overload

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from quire.works.models import Work
from quire.works.versions import do_bump_work_versions

from .models import Block, Mute, Preference, Pseud, User
from .permissions import LIMITS, PAST, limit_message, relation_refusal


def do_create_user(username: str, email: str | None, password: str | None, **fields) -> User:
    """Create an account with its default pseud; `fields` are other User fields (is_staff,
    is_superuser ...). Password None leaves it unusable. Every way of making an account
    (sign-up, create_user/create_superuser, the admin) ends up here or in
    do_create_default_pseud.

    The e-mail address counts as confirmed: whoever runs this (an admin, a command, the demo
    seeding) vouches for it, and logging in needs a confirmed address. Sign-up goes through
    allauth instead, which has the owner confirm it."""
    with transaction.atomic():
        user = User(username=username, email=email or "", **fields)
        user.set_password(password)
        user.save()
        if user.email:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        do_create_default_pseud(user)
    return user


def do_create_default_pseud(user: User) -> Pseud:
    """Give `user` its default pseud, named after the login, unless it has one already."""
    pseud = Pseud.objects.filter(user=user, is_default=True).first()
    if pseud is None:
        pseud = Pseud.objects.create(user=user, name=user.username, is_default=True)
    return pseud


def do_create_pseud(user: User, name: str, description: str = "") -> Pseud:
    return Pseud.objects.create(user=user, name=name, description=description)


def do_update_pseud(pseud: Pseud, *, name: str, description: str) -> Pseud:
    """Rename a pseud. Bylines are part of cached work pages, so its works get a new version."""
    with transaction.atomic():
        renamed = pseud.name != name
        pseud.name = name
        pseud.description = description
        pseud.save(update_fields=["name", "description"])
        if renamed:
            do_bump_work_versions(
                Work.objects.filter(creatorships__pseud=pseud).values_list("pk", flat=True)
            )
    return pseud


def do_update_preferences(user: User, **values: bool) -> Preference:
    preference, _ = Preference.objects.get_or_create(user=user)
    for name, value in values.items():
        setattr(preference, name, value)
    preference.save(update_fields=list(values))
    return preference


# Block and mute


class RelationRefused(Exception):
    """A block or mute refused; the message is for the user."""


def _relation_model(kind: str):
    return {"block": (Block, "blocker", "blocked"), "mute": (Mute, "muter", "muted")}[kind]


@overload
def _do_add_relation(kind: Literal["block"], user: User, target: User) -> Block: ...
@overload
def _do_add_relation(kind: Literal["mute"], user: User, target: User) -> Mute: ...
def _do_add_relation(kind: str, user: User, target: User) -> Block | Mute:
    model, mine, theirs = _relation_model(kind)
    refusal = relation_refusal(kind, user, target)
    if refusal:
        raise RelationRefused(refusal)
    try:
        with transaction.atomic():
            # Locking the user's row makes "count, then insert" one step: two requests racing
            # each other can't both take the 2,000th place.
            list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
            if model.objects.filter(**{mine: user}).count() >= LIMITS[kind]:
                raise RelationRefused(limit_message(kind))
            return model.objects.create(**{mine: user, theirs: target})
    except IntegrityError:
        raise RelationRefused(f"You have already {PAST[kind]} {target.username}.") from None


def do_block_user(blocker: User, blocked: User) -> Block:
    """`blocker` blocks `blocked`: from now on `blocked` can't leave kudos on (or comment on,
    reply to) anything of `blocker`'s. Raises RelationRefused, writing nothing, for oneself, an
    official (admin) account, someone already blocked, or past BLOCKS_MAX blocks. Nothing else
    changes: kudos left before stay, as on AO3."""
    return _do_add_relation("block", blocker, blocked)


def do_unblock_user(blocker: User, blocked: User) -> bool:
    """Lift a block; False when there was none."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


def do_mute_user(muter: User, muted: User) -> Mute:
    """`muter` mutes `muted`: their works (never anonymous ones), bookmarks and comments are
    left out of what `muter` is shown; `muted` is not told and notices nothing. Raises
    RelationRefused like do_block_user (limit MUTES_MAX)."""
    return _do_add_relation("mute", muter, muted)


def do_unmute_user(muter: User, muted: User) -> bool:
    """Lift a mute; False when there was none."""
    deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)
