"""Writes for accounts, pseuds and preferences, one module per subject. No permission checks
here: callers check. Other apps import from here."""

from .deletion import DeletionPlan, Fate, do_delete_account
from .hiding import do_set_pseud_hidden
from .orphans import ORPHAN_USERNAME, do_get_orphan_account, do_orphan
from .preferences import do_update_preferences
from .profile import do_update_profile
from .pseuds import (
    do_create_pseud,
    do_delete_pseud,
    do_make_pseud_default,
    do_set_pseud_icon,
    do_update_pseud,
)
from .relations import (
    RelationRefused,
    do_block_user,
    do_mute_user,
    do_unblock_user,
    do_unmute_user,
)
from .usernames import do_change_username
from .users import do_create_default_pseud, do_create_user

__all__ = [
    "ORPHAN_USERNAME",
    "DeletionPlan",
    "Fate",
    "RelationRefused",
    "do_block_user",
    "do_change_username",
    "do_create_default_pseud",
    "do_create_pseud",
    "do_create_user",
    "do_delete_account",
    "do_delete_pseud",
    "do_get_orphan_account",
    "do_make_pseud_default",
    "do_mute_user",
    "do_orphan",
    "do_set_pseud_hidden",
    "do_set_pseud_icon",
    "do_unblock_user",
    "do_unmute_user",
    "do_update_preferences",
    "do_update_profile",
    "do_update_pseud",
]
