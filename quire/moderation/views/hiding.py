"""Staff hiding and unhiding content: POST /staff/hide/<kind>/<id> and
/staff/unhide/<kind>/<id>, from the form of templates/moderation/_hide_controls.html."""

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from quire.accounts.models import User
from quire.lib.http import back_or

from ..actions import do_hide, do_unhide
from ..forms import HideForm, NoteForm
from ..kinds import KINDS
from ..permissions_hiding import staff_with


def _target(kind: str, target_id: int):
    entry = KINDS.get(kind)
    if entry is None:
        raise Http404("No such kind.")
    return entry, get_object_or_404(entry.model, pk=target_id)


def _staff(request: HttpRequest) -> User:
    """The staff member the decorator let in."""
    return cast(User, request.user)


@require_POST
@staff_with("hide_content")
def hide(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    entry, target = _target(kind, target_id)
    form = HideForm(request.POST)
    if form.is_valid():
        do_hide(_staff(request), target, form.cleaned_data["reason"])
        messages.success(request, f"The {entry.label} is hidden. Its creator has been told why.")
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["reason"]))
    return back_or(request, entry.url(target))


@require_POST
@staff_with("hide_content")
def unhide(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    entry, target = _target(kind, target_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    do_unhide(_staff(request), target, note)
    messages.success(request, f"The {entry.label} is visible again.")
    return back_or(request, entry.url(target))
