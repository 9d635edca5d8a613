"""Block and mute."""

from typing import Literal, overload

from django.db import IntegrityError, transaction

from ..models import Block, Mute, User
from ..permissions import LIMITS, PAST, limit_message, relation_refusal


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
