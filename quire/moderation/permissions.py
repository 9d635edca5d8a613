"""Who may do what, for moderation: plain predicates, and the staff pages' one decorator.

This module imports no other app's models (accounts' permissions only), so the works and
social views can ask participation_refusal without importing what moderation knows about them.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

from quire.accounts.permissions import staff_mfa_required

SUSPENDED = "Your account is suspended until {until}, so you can't {doing} until then."
BANNED = "Your account has been banned, so you can't {doing}."
DEFAULT_DOING = "post, comment, leave kudos or bookmark"
NO_PERMISSION = "Sorry, your staff role doesn't include this page."


def is_suspended(user) -> bool:
    """A suspension applies until its date: compared with now on every check, so it lifts on
    time whether or not the cleanup (do_end_past_suspensions) has run."""
    until = getattr(user, "suspended_until", None)
    return until is not None and until > timezone.now()


def participation_refusal(user, doing: str = DEFAULT_DOING) -> str | None:
    """Why `user` may not post a work or chapter, comment, leave kudos or bookmark (a ban, or
    a suspension and until when), else None. Guests get None: whether a guest may do a
    thing is each feature's own rule. Reads only the user's row: no query."""
    if user is None or not user.is_authenticated:
        return None
    if user.banned:
        return BANNED.format(doing=doing)
    if is_suspended(user):
        until = date_format(timezone.localtime(user.suspended_until), "DATETIME_FORMAT")
        return SUSPENDED.format(until=until, doing=doing)
    return None


def participation_refused(request: HttpRequest, doing: str = DEFAULT_DOING) -> HttpResponse | None:
    """The 403 page in the site's layout saying why, when the request's user may not take
    part; None when they may. Views that post, comment, leave kudos or bookmark call it first."""
    refusal = participation_refusal(request.user, doing)
    if refusal is None:
        return None
    return render(request, "moderation/refused.html", {"message": refusal}, status=403)


def can_use_staff_pages(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_required(perm: str | None = None) -> Callable:
    """The staff pages' decorator: a guest is sent to log in; a non-staff user gets a 404 (the
    page does not exist for them); staff must have signed in with their second factor
    (accounts' staff_mfa_required, outermost); staff without `perm` ("app_label.codename")
    get a 403 in the site's layout."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @staff_mfa_required
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_use_staff_pages(user):
                raise Http404("No such page.")
            if perm and not user.has_perm(perm):
                return render(
                    request, "moderation/refused.html", {"message": NO_PERMISSION}, status=403
                )
            return view(request, *args, **kwargs)

        return guarded

    return decorator


# The permissions of each staff page (see roles.py for who holds them).
REPORTS = "moderation.change_abusereport"
SUPPORT = "moderation.change_supportticket"
SANCTIONS = "moderation.sanction_user"
VIEW_USERS = "moderation.view_sanction"
ACTIVITY_LOG = "moderation.view_activityentry"
