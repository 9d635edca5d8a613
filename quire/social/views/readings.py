"""Reading history and Marked for Later."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from quire.lib.http import own_account_or_404

from ..actions import do_clear_readings, do_delete_reading, do_mark_for_later
from ..queries import access_posted_work, access_reading, reading_page, visible_readings


@login_required
def user_readings(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    to_read = request.GET.get("show") == "to-read"
    readings = visible_readings(owner)
    if to_read:
        readings = readings.filter(toread=True)
    page = reading_page(request.user, readings, request.GET.get("page"))
    return render(
        request, "social/reading_index.html", {"page": page, "owner": owner, "to_read": to_read}
    )


@login_required
@require_POST
def reading_delete(request: HttpRequest, login: str, reading_id: int) -> HttpResponse:
    owner = own_account_or_404(request, login)
    do_delete_reading(access_reading(request.user, reading_id))
    messages.success(request, "Work successfully deleted from your history.")
    return redirect("social:user-readings", login=owner.username)


@login_required
@require_POST
def readings_clear(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    do_clear_readings(owner)
    messages.success(request, "Your history is now cleared.")
    return redirect("social:user-readings", login=owner.username)


def _mark(request: HttpRequest, work_id: int, *, toread: bool) -> HttpResponse:
    work = access_posted_work(request.user, work_id)
    do_mark_for_later(request.user, work, toread=toread)
    if toread:
        messages.success(
            request,
            "This work was added to your Marked for Later list. It may take a while for "
            "changes to show up.",
        )
    else:
        messages.success(request, "This work was removed from your Marked for Later list.")
    return redirect("works:work-show", work_id=work.pk)


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    return _mark(request, work_id, toread=True)


@login_required
@require_POST
def mark_as_read(request: HttpRequest, work_id: int) -> HttpResponse:
    return _mark(request, work_id, toread=False)
