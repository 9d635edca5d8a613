"""The activity log, /staff/log: every staff action, filtered by actor and action."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from quire.accounts.models import User

from ..permissions import ACTIVITY_LOG, staff_required
from ..queries import activity_log, logged_actions
from .paging import page_of, text_param


@staff_required(ACTIVITY_LOG)
def staff_log(request: HttpRequest) -> HttpResponse:
    actor_name = text_param(request, "actor", 150)
    actor = User.objects.filter(username__iexact=actor_name).first() if actor_name else None
    action = text_param(request, "action", 50)
    entries = activity_log(actor=actor, action=action)
    if actor_name and actor is None:
        entries = entries.none()
    return render(
        request,
        "moderation/log_index.html",
        {
            "page": page_of(request, entries, per_page=50),
            "actor_name": actor_name,
            "action": action,
            "actions": logged_actions(),
        },
    )
