"""The e-mails moderation sends: a report's and a ticket's receipt, and a sanction's notice.
Sent by a background task queued on commit, so a rolled-back action sends nothing and a slow
mail server never holds a request."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from quire.lib.site import site_url
from quire.lib.tasks import enqueue_on_commit

from .models import AbuseReport, Sanction, SanctionKind, SupportTicket


def _message(template: str, to: str, subject: str, context: dict) -> EmailMessage:
    context = {**context, "site_name": settings.SITE_NAME, "site": site_url()}
    body = render_to_string(template, context)
    return EmailMessage(subject=f"[{settings.SITE_NAME}] {subject}", body=body, to=[to])


def report_received(report: AbuseReport) -> EmailMessage:
    return _message(
        "moderation/email/report_received.txt",
        report.email,
        "Your abuse report",
        {"report": report},
    )


def ticket_received(ticket: SupportTicket) -> EmailMessage:
    return _message(
        "moderation/email/ticket_received.txt",
        ticket.email,
        "Your message to support",
        {"ticket": ticket},
    )


def sanction_notice(sanction: Sanction) -> EmailMessage:
    user = sanction.user
    return _message(
        "moderation/email/sanction_notice.txt",
        user.email,
        f"{sanction.get_kind_display()} of your account",
        {
            "sanction": sanction,
            "user": user,
            "dashboard": site_url() + reverse("accounts:dashboard", args=[user.username]),
        },
    )


_BUILDERS: dict[str, tuple[type[models.Model], Callable[..., EmailMessage]]] = {
    "report_received": (AbuseReport, report_received),
    "ticket_received": (SupportTicket, ticket_received),
    "sanction_notice": (Sanction, sanction_notice),
}


@task()
def send_moderation_mail(kind: str, pk: int) -> bool:
    """Send the `kind` e-mail about row `pk`; False when the row is gone or has no address."""
    model, build = _BUILDERS[kind]
    row = model._default_manager.filter(pk=pk).first()
    if row is None:
        return False
    message = build(row)
    if not message.to or not message.to[0]:
        return False
    message.send()
    return True


def send_on_commit(kind: str, row: models.Model) -> None:
    enqueue_on_commit(send_moderation_mail, kind, row.pk)


# A note is for staff only; every other sanction is told to the user.
TOLD_TO_USER = {SanctionKind.WARNING, SanctionKind.SUSPENSION, SanctionKind.BAN, SanctionKind.LIFT}
