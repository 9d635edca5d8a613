"""Writes of moderation, one module per subject. No permission checks here: staff views
check (permissions.staff_required)."""

from .log import do_log
from .reports import ReportInput, do_add_queue_note, do_create_abuse_report, do_update_queue_item
from .sanctions import SanctionError, do_end_past_suspensions, do_sanction_user
from .support import TicketInput, do_create_support_ticket

__all__ = [
    "ReportInput",
    "SanctionError",
    "TicketInput",
    "do_add_queue_note",
    "do_create_abuse_report",
    "do_create_support_ticket",
    "do_end_past_suspensions",
    "do_log",
    "do_sanction_user",
    "do_update_queue_item",
]
