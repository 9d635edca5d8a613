"""The accounts app's views, one module per subject."""

from .dashboard import dashboard, token_dispenser
from .login import login
from .preferences import preferences
from .pseuds import pseud_edit, pseud_list, pseud_new, pseud_show
from .relations import relation_confirm, relation_index, relation_remove
from .signup import signup

__all__ = [
    "dashboard",
    "login",
    "preferences",
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
