"""Who may edit the rules pages and the site settings.

`staff_with(perm)` is this app's one door for its staff pages: when the staff roles arrive
(moderation.permissions.staff_required), swap its body for that and nothing else changes."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from quire.accounts.permissions import staff_mfa_required

EDIT_RULES = "pages.add_ruleversion"
CHANGE_SETTINGS = "pages.change_sitesettings"


def has_staff_perm(user, perm: str) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm(perm))


def can_edit_rules(user) -> bool:
    return has_staff_perm(user, EDIT_RULES)


def can_change_site_settings(user) -> bool:
    return has_staff_perm(user, CHANGE_SETTINGS)


def staff_with(perm: str) -> Callable:
    """A view decorator: staff pages need a two-factor sign-in first
    (accounts.permissions.staff_mfa_required, which also sends guests to log in); then anyone
    without `perm` gets a 404, as if the staff page did not exist."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @staff_mfa_required
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_staff_perm(request.user, perm):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        return guarded

    return decorator


# The site switches (pages.queries.site_settings), as the refusals readers see.

GUEST_COMMENTS_OFF = (
    "Sorry, this archive doesn't allow guests to comment right now. Log in to comment."
)
DOWNLOADS_OFF = "Sorry, downloads are turned off on this archive right now."


def guest_comment_refusal(user) -> str | None:
    """Why a guest may not comment anywhere (the site's switch), else None."""
    from .queries import site_settings

    if user.is_authenticated or site_settings().guest_comments:
        return None
    return GUEST_COMMENTS_OFF


def downloads_refusal() -> str | None:
    from .queries import site_settings

    return None if site_settings().downloads else DOWNLOADS_OFF
