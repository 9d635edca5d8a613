"""Writes of moderation, one module per subject; other apps import from here."""

from .hiding import do_hide, do_unhide
from .log import do_log
from .spam import do_delete_comments, do_mark_spammer, do_unmark_spammer

__all__ = [
    "do_delete_comments",
    "do_hide",
    "do_log",
    "do_mark_spammer",
    "do_unhide",
    "do_unmark_spammer",
]
