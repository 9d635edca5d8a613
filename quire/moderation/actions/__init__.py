"""Writes of moderation, one module per subject. No permission checks here: staff views
check (permissions.staff_required). Other apps import from here."""

from .hiding import do_hide, do_unhide
from .log import do_log
from .reports import ReportInput, do_add_queue_note, do_create_abuse_report, do_update_queue_item
from .sanctions import SanctionError, do_end_past_suspensions, do_sanction_user
from .spam import do_delete_comments, do_mark_spammer, do_unmark_spammer
from .support import TicketInput, do_create_support_ticket

__all__ = [
    "ReportInput",
    "SanctionError",
    "TicketInput",
    "do_add_queue_note",
    "do_create_abuse_report",
    "do_create_support_ticket",
    "do_delete_comments",
    "do_end_past_suspensions",
    "do_hide",
    "do_log",
    "do_mark_spammer",
    "do_sanction_user",
    "do_unhide",
    "do_unmark_spammer",
    "do_update_queue_item",
]
