"""Reads of the staff queues: abuse reports and support tickets."""

from typing import TypeVar

from django.db.models import QuerySet
from django.http import Http404

from quire.accounts.models import User
from quire.lib.numbers import bounded_int

from ..models import AbuseReport, QueueItem, Status, SupportTicket

Q = TypeVar("Q", bound=QueueItem)

OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)


def report_queue(*, status: str = "", assignee: User | None = None) -> QuerySet[AbuseReport]:
    """Abuse reports, newest first, narrowed by status and assignee."""
    reports = AbuseReport.objects.select_related("assignee", "target_type")
    return _narrowed(reports, status=status, assignee=assignee)


def ticket_queue(*, status: str = "", assignee: User | None = None) -> QuerySet[SupportTicket]:
    tickets = SupportTicket.objects.select_related("assignee")
    return _narrowed(tickets, status=status, assignee=assignee)


def _narrowed(items: QuerySet, *, status: str, assignee: User | None) -> QuerySet:
    if status == "active":
        items = items.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        items = items.filter(status=status)
    if assignee is not None:
        items = items.filter(assignee=assignee)
    return items


def open_counts() -> dict[str, int]:
    """How many reports and tickets wait (open or in progress), for the staff dashboard."""
    return {
        "reports": AbuseReport.objects.filter(status__in=OPEN_STATUSES).count(),
        "tickets": SupportTicket.objects.filter(status__in=OPEN_STATUSES).count(),
    }


def _access(model: type[Q], item_id: str | int) -> Q:
    number = bounded_int(str(item_id), low=1)
    item = None
    if number is not None and not number.clamped:
        items = model._default_manager.select_related("assignee", "sender")
        item = items.filter(pk=number.value).first()
    if item is None:
        raise Http404("No such item.")
    return item


def access_report(report_id: str | int) -> AbuseReport:
    """The report, or 404. The caller is staff with the reports permission."""
    return _access(AbuseReport, report_id)


def access_ticket(ticket_id: str | int) -> SupportTicket:
    return _access(SupportTicket, ticket_id)


def staff_members() -> QuerySet[User]:
    """Who a report or ticket can be assigned to."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("username")
