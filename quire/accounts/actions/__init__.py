"""Writes for accounts, pseuds and preferences, one module per subject. No permission checks
here: callers check. Other apps import from here."""

from .hiding import do_set_pseud_hidden
from .preferences import do_update_preferences
from .pseuds import do_create_pseud, do_update_pseud
from .relations import (
    RelationRefused,
    do_block_user,
    do_mute_user,
    do_unblock_user,
    do_unmute_user,
)
from .users import do_create_default_pseud, do_create_user

__all__ = [
    "RelationRefused",
    "do_block_user",
    "do_create_default_pseud",
    "do_create_pseud",
    "do_create_user",
    "do_mute_user",
    "do_set_pseud_hidden",
    "do_unblock_user",
    "do_unmute_user",
    "do_update_preferences",
    "do_update_pseud",
]
