"""The accounts app's views, one module per subject."""

from .account_deletion import account_delete
from .dashboard import dashboard, token_dispenser
from .login import login
from .orphans import orphan_index, orphan_new
from .preferences import preferences
from .profile import change_username, profile, profile_edit
from .pseuds import pseud_delete, pseud_edit, pseud_list, pseud_new, pseud_show
from .relations import relation_confirm, relation_index, relation_remove
from .signup import signup

__all__ = [
    "account_delete",
    "change_username",
    "dashboard",
    "login",
    "orphan_index",
    "orphan_new",
    "preferences",
    "profile",
    "profile_edit",
    "pseud_delete",
    "pseud_edit",
    "pseud_list",
    "pseud_new",
    "pseud_show",
    "relation_confirm",
    "relation_index",
    "relation_remove",
    "signup",
    "token_dispenser",
]
