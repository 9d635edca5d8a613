"""The staff dashboard, /staff: the queues and how much waits in each."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import ACTIVITY_LOG, REPORTS, SUPPORT, staff_required
from ..queries import open_counts


@staff_required()
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = open_counts()
    # Each count only for those who may open its queue.
    sections = {
        "reports": counts["reports"] if user.has_perm(REPORTS) else None,
        "tickets": counts["tickets"] if user.has_perm(SUPPORT) else None,
        "log": user.has_perm(ACTIVITY_LOG),
    }
    return render(request, "moderation/staff_dashboard.html", sections)
