"""Reads of moderation, one module per subject; the names other apps use are here."""

from .hiding import StaffComments, hiding_of, hidings_about, staff_comments
from .log import activity_log, log_about, log_for, logged_actions
from .queues import (
    access_report,
    access_ticket,
    open_counts,
    report_queue,
    staff_members,
    ticket_queue,
)
from .sanctions import current_sanction, is_suspended, sanctions_of
from .targets import describe_target, report_url_limit, resolve_target, split_archive_url

__all__ = [
    "StaffComments",
    "access_report",
    "access_ticket",
    "activity_log",
    "current_sanction",
    "describe_target",
    "hiding_of",
    "hidings_about",
    "is_suspended",
    "log_about",
    "log_for",
    "logged_actions",
    "open_counts",
    "report_queue",
    "report_url_limit",
    "resolve_target",
    "sanctions_of",
    "split_archive_url",
    "staff_comments",
    "staff_members",
    "ticket_queue",
]
