"""Moderation's views, one module per subject (reports, support, sanctions, log, dashboard,
hiding, spam); urls.py imports from here."""

from .dashboard import staff_dashboard
from .hiding import hide, unhide
from .log import staff_log
from .reports import abuse_report_new, abuse_report_sent, staff_report_index, staff_report_show
from .sanctions import staff_user_show
from .spam import comment_list, spammer
from .support import staff_ticket_index, staff_ticket_show, support_new, support_sent

__all__ = [
    "abuse_report_new",
    "abuse_report_sent",
    "comment_list",
    "hide",
    "spammer",
    "staff_dashboard",
    "staff_log",
    "staff_report_index",
    "staff_report_show",
    "staff_ticket_index",
    "staff_ticket_show",
    "staff_user_show",
    "support_new",
    "support_sent",
    "unhide",
]
