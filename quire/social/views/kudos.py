"""Kudos: a form post that redirects back to the work, or JSON for the page's script."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from quire.lib import limits
from quire.works.models import Work
from quire.works.queries import RestrictedWork, access_work

from ..actions import KudosError, do_leave_kudos
from ..permissions import GUEST_ON_RESTRICTED
from ..queries import kudos_summary
from ..visitors import client_ip

KUDOS_THANKS = "Thank you for leaving kudos!"
KUDOS_TOO_MANY = "You have left a lot of kudos in a short time. Please wait a little and try again."


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Requested-With"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("Accept", "")


@require_POST
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    work: Work | None
    error: str | None
    account = f"user:{request.user.pk}" if request.user.is_authenticated else ""
    try:  # per address and per account (settings.RATE_LIMITS["kudos"])
        limits.hit("kudos", limits.address_key(request), account, message=KUDOS_TOO_MANY)
    except limits.RateLimited as limited:
        return limits.too_many_requests(request, limited)  # JSON for the page's script
    try:
        work = access_work(request.user, work_id)
    except RestrictedWork:
        work, error = None, GUEST_ON_RESTRICTED
    else:
        try:
            do_leave_kudos(work, user=request.user, ip=client_ip(request))
            error = None
        except KudosError as refused:
            error = str(refused)
    if _wants_json(request):
        if work is None:
            return JsonResponse({"ok": False, "message": error}, status=403)
        work.stats.refresh_from_db(fields=["kudos_count"])
        html = render_to_string("social/_kudos_list.html", {"kudos": kudos_summary(work)})
        return JsonResponse(
            {
                "ok": error is None,
                "message": error or KUDOS_THANKS,
                "kudos_count": work.stats.kudos_count,
                "kudos_html": html,
            },
            status=422 if error else 201,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, KUDOS_THANKS)
    return redirect("works:work-show", work_id=work_id)


def kudos_after_csrf_failure(
    request: HttpRequest, *, same_origin: bool, work_id: int
) -> HttpResponse | None:
    """After a failed CSRF check (quire.csrf). A guest's cached page carries no CSRF token
    and, without a script, cannot fetch one: their kudos click lands here, a page with a token
    and the same button, one click more. Kudos carry no text, so where the post came from
    changes nothing."""
    try:
        work = access_work(request.user, work_id)
    except (Http404, RestrictedWork):
        return None
    return render(request, "social/kudos_confirm.html", {"work": work}, status=403)
