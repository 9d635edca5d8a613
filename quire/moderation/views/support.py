"""The support form at /support, and the staff queue of its tickets."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.limits import RateLimited, hit
from quire.pages.queries import site_settings
from quire.social.visitors import client_ip

from ..actions import TicketInput, do_create_support_ticket
from ..forms import SupportForm
from ..permissions import SUPPORT, staff_required
from ..queries import access_ticket, ticket_queue
from .queue import queue_index, queue_show


def support_new(request: HttpRequest) -> HttpResponse:
    if not site_settings().support_form:
        return render(request, "moderation/support_closed.html")
    form = SupportForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = str(request.user.pk) if request.user.is_authenticated else ""
            hit("support", client_ip(request) or "", account, data["email"])
        except RateLimited as limited:
            form.add_error(None, limited.message)
        else:
            do_create_support_ticket(
                TicketInput(
                    email=data["email"],
                    summary=data["summary"],
                    description=data["description"],
                    username=data["username"],
                ),
                sender=request.user if request.user.is_authenticated else None,
            )
            return redirect("moderation:support-sent")
    return render(request, "moderation/support_new.html", {"form": form})


def support_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/support_sent.html")


@staff_required(SUPPORT)
def staff_ticket_index(request: HttpRequest) -> HttpResponse:
    return queue_index(request, ticket_queue, template="moderation/ticket_index.html")


@staff_required(SUPPORT)
def staff_ticket_show(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(ticket_id)
    response = queue_show(request, ticket, template="moderation/ticket_show.html", extra={})
    if response.status_code == 302:
        messages.success(request, "Ticket updated.")
    return response
