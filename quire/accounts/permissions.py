"""Who may block or mute whom (AO3.md §7), and who may open staff pages (two-factor sign-in)."""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from .models import BLOCKS_MAX, MUTES_MAX

# The two relations share every rule but their words; `kind` is "block" or "mute".
LIMITS = {"block": BLOCKS_MAX, "mute": MUTES_MAX}
PAST = {"block": "blocked", "mute": "muted"}


def relation_refusal(kind: str, user, target) -> str | None:
    """Why `user` may not block (or mute) `target`, else None. Whether they already did, and
    the 2,000 limit, are the action's to say (they need the rows)."""
    if target.pk == user.pk:
        return f"You can't {kind} yourself."
    if target.is_admin:
        # AO3: official accounts can be neither blocked nor muted, so notices always reach.
        return f"Sorry, you can't {kind} an official Archive account."
    return None


def limit_message(kind: str) -> str:
    return (
        f"Sorry, you have {PAST[kind]} too many accounts: you can {kind} up to "
        f"{LIMITS[kind]:,} users. Remove someone from your list first."
    )


# Staff pages need a second factor (issue #12): the account has an authenticator app set up,
# and this session's login passed it. allauth records each way the session authenticated.
def _is_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def has_totp(user) -> bool:
    # Imported here: allauth.mfa's models load after this module can first be imported.
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_second_factor(request) -> bool:
    """Whether this session's login (or a re-authentication since) passed a second factor: a
    code from the app, or a recovery code standing in for a lost phone."""
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, request.user))


def staff_mfa_ok(request) -> bool:
    """The user is staff (or a superuser), has two-factor sign-in set up, and this session's
    login passed it."""
    user = request.user
    return _is_staff(user) and has_totp(user) and passed_second_factor(request)


def staff_mfa_required(view):
    """Wraps a staff page: a guest is sent to log in; staff without two-factor sign-in to set
    it up; staff whose session logged in without it to log in again, with the code. Anyone
    else passes through to the page's own permission check (which refuses them)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if _is_staff(user) and not staff_mfa_ok(request):
            if not has_totp(user):
                messages.warning(
                    request,
                    "Staff pages need two-factor sign-in. Set up an authenticator app first, "
                    "then log in again with a code from it.",
                )
                return redirect("mfa_activate_totp")
            logout(request)
            messages.warning(
                request,
                "Staff pages need a sign-in with your authenticator app's code. Please log in "
                "again.",
            )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def sees_hidden_content(user) -> bool:
    """Staff read what staff hid (and what spammers made), with a notice; nobody else but the
    item's own maker does. No query."""
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))
