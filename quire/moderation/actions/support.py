"""Writes of support tickets."""

from dataclasses import dataclass

from django.db import transaction

from quire.accounts.models import User

from ..mail import send_on_commit
from ..models import SupportTicket


@dataclass(frozen=True)
class TicketInput:
    email: str
    summary: str
    description: str
    username: str = ""


def do_create_support_ticket(data: TicketInput, *, sender: User | None) -> SupportTicket:
    """Save a support message for the staff queue (the caller applied the throttle and the
    site setting) and send the sender a receipt on commit."""
    with transaction.atomic():
        ticket = SupportTicket.objects.create(
            email=data.email,
            summary=data.summary,
            description=data.description,
            username=data.username,
            sender=sender if sender is not None and sender.is_authenticated else None,
        )
        send_on_commit("ticket_received", ticket)
    return ticket
