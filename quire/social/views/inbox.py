"""The inbox: comments and subscription updates, marked read or unread, or deleted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.lib.http import own_account_or_404, safe_return_to

from ..actions import do_delete_inbox, do_delete_notices, do_mark_inbox, do_mark_notices_read
from ..forms import CommentForm
from ..queries import inbox_page


def _inbox_filters(request: HttpRequest) -> tuple[bool | None, bool]:
    """AO3's inbox filters: filters[read] (true, false or all) and filters[date] (asc,
    desc)."""
    read = {"true": True, "false": False}.get(request.GET.get("filters[read]", ""))
    return read, request.GET.get("filters[date]") == "asc"


@login_required
def user_inbox(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    read, oldest_first = _inbox_filters(request)
    page = inbox_page(
        owner, read=read, oldest_first=oldest_first, page_number=request.GET.get("page")
    )
    return render(
        request,
        "social/inbox_show.html",
        {
            "owner": owner,
            "page": page,
            "read_filter": request.GET.get("filters[read]", "all"),
            "date_filter": "asc" if oldest_first else "desc",
            "read_choices": [("all", "All"), ("false", "Unread"), ("true", "Read")],
            "reply_form": CommentForm(user=request.user),
        },
    )


@login_required
@require_POST
def inbox_update(request: HttpRequest, login: str) -> HttpResponse:
    """Mark the chosen items read or unread, or delete them (AO3's buttons, by name)."""
    owner = own_account_or_404(request, login)
    ids = [int(value) for value in request.POST.getlist("inbox_comments[]") if value.isdigit()]
    # Subscription updates (SubscriptionNotice) sit in the same list with their own boxes.
    updates = [int(value) for value in request.POST.getlist("inbox_updates[]") if value.isdigit()]
    back = safe_return_to(request) or reverse("social:user-inbox", args=[owner.username])
    if not ids and not updates:
        messages.error(request, "Please select something first.")
    elif "delete" in request.POST:
        do_delete_inbox(owner, ids)
        do_delete_notices(owner, updates)
        messages.success(request, "Inbox successfully updated.")
    else:
        read = "unread" not in request.POST
        do_mark_inbox(owner, ids, read=read)
        do_mark_notices_read(owner, updates, read=read)
        messages.success(request, "Inbox successfully updated.")
    return redirect(back)
