"""Writes of abuse reports: receiving one, and staff working on it."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from quire.accounts.models import User

from ..mail import send_on_commit
from ..models import AbuseReport, QueueItem, QueueNote, Status, SupportTicket
from .log import do_log


@dataclass(frozen=True)
class ReportInput:
    url: str
    category: str
    summary: str
    description: str
    email: str
    username: str = ""


def do_create_abuse_report(
    data: ReportInput, *, target: models.Model | None, sender: User | None
) -> AbuseReport:
    """Save a report (the caller checked the URL is ours, resolved its target and applied
    the throttles) and send the reporter a receipt on commit."""
    with transaction.atomic():
        report = AbuseReport.objects.create(
            url=data.url,
            category=data.category,
            summary=data.summary,
            description=data.description,
            email=data.email,
            username=data.username,
            sender=sender if sender is not None and sender.is_authenticated else None,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=target.pk if target is not None else None,
        )
        send_on_commit("report_received", report)
    return report


def do_update_queue_item(
    item: QueueItem, *, by: User, status: str, assignee: User | None
) -> list[str]:
    """Set a report's or ticket's status and assignee, logging what changed. Returns the
    changes (none, and nothing logged, when both are as they were)."""
    changes = []
    with transaction.atomic():
        if item.status != status:
            changes.append(f"status: {item.get_status_display()} → {Status(status).label}")
            item.status = status
        if item.assignee_id != (assignee.pk if assignee else None):
            changes.append(f"assignee: {assignee.username if assignee else 'nobody'}")
            item.assignee = assignee
        if changes:
            item.save(update_fields=["status", "assignee", "updated_at"])
            do_log(by, f"{_noun(item)}_update", item, note="; ".join(changes))
    return changes


def do_add_queue_note(item: QueueItem, *, by: User, body: str) -> QueueNote:
    """A staff-only note in a report's or ticket's thread, logged."""
    with transaction.atomic():
        if isinstance(item, AbuseReport):
            note = QueueNote.objects.create(report=item, author=by, body=body)
        elif isinstance(item, SupportTicket):
            note = QueueNote.objects.create(ticket=item, author=by, body=body)
        else:
            raise TypeError(f"Not a queue item: {item!r}")
        do_log(by, f"{_noun(item)}_note", item, note=body)
    return note


def _noun(item: QueueItem) -> str:
    return "report" if isinstance(item, AbuseReport) else "ticket"
