"""What the report and ticket queues share: the filtered listing, and an item's page with its
status, assignee and staff-only notes."""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.accounts.models import User
from quire.lib.http import pressed, submitted

from ..actions import do_add_queue_note, do_update_queue_item
from ..forms import NoteForm, QueueItemForm
from ..models import QueueItem, Status
from ..queries import log_for, staff_members
from .paging import page_of, text_param


def queue_index(
    request: HttpRequest, queue: Callable[..., QuerySet], *, template: str
) -> HttpResponse:
    status = text_param(request, "status", 20) or "active"
    assignee = _assignee_filter(request)
    page = page_of(request, queue(status=status, assignee=assignee))
    return render(
        request,
        template,
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "assignee": assignee,
            "staff": staff_members(),
        },
    )


def _assignee_filter(request: HttpRequest) -> User | None:
    name = text_param(request, "assignee", 150)
    if name == "me":
        return request.user  # type: ignore[return-value]
    return staff_members().filter(username=name).first() if name else None


def queue_show(
    request: HttpRequest, item: QueueItem, *, template: str, extra: dict
) -> HttpResponse:
    """GET: the item; POST "update_button": its status and assignee; POST "note_button": a
    staff note. Each change is logged by its action; the page redirects back to itself."""
    staff = staff_members()
    posted = submitted(request)
    initial = {"status": item.status, "assignee": item.assignee}
    item_form = QueueItemForm(
        posted if pressed(request, "update_button") else None, staff=staff, initial=initial
    )
    note_form = NoteForm(posted if pressed(request, "note_button") else None)
    by: User = request.user  # type: ignore[assignment]  # staff_required: logged in
    if item_form.is_bound and item_form.is_valid():
        data = item_form.cleaned_data
        do_update_queue_item(item, by=by, status=data["status"], assignee=data["assignee"])
        return redirect(request.path)
    if note_form.is_bound and note_form.is_valid():
        do_add_queue_note(item, by=by, body=note_form.cleaned_data["body"])
        return redirect(request.path)
    context = {
        "item": item,
        "item_form": item_form,
        "note_form": note_form,
        "notes": item.notes.select_related("author"),  # type: ignore[attr-defined]
        "item_log": list(log_for(item)[:50]),
        **extra,
    }
    return render(request, template, context)
