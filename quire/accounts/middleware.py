import re
from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone

from quire.lib.zones import zone

from .queries import preference_of


def ao3_csrf_field(get_response: Callable[[HttpRequest], HttpResponse]):
    """Accept AO3's CSRF field name, `authenticity_token`, wherever Django's is expected.

    AO3's downloaders and client libraries log in by scraping `authenticity_token` from the
    login form (or /token_dispenser.json) and posting it back under that name. Django's
    CsrfViewMiddleware also reads the X-CSRFToken header, so we hand the token over there;
    the check itself stays Django's.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and "HTTP_X_CSRFTOKEN" not in request.META
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and "csrfmiddlewaretoken" not in request.POST
        ):
            token = request.POST.get("authenticity_token")
            if token:
                request.META["HTTP_X_CSRFTOKEN"] = token
        return get_response(request)

    return middleware


def reader_time_zone(get_response: Callable[[HttpRequest], HttpResponse]):
    """Show every date in the reader's time zone (their preference; the site's TIME_ZONE for
    guests and by default). Templates convert aware datetimes to the active zone, so this is
    the one place that decides. Sits below AuthenticationMiddleware: the account comes with
    its preferences joined (accounts.backends), so this costs no query; a guest without a
    session costs none either."""

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = zone(preference_of(request.user).time_zone)
        if chosen is None:
            timezone.deactivate()
        else:
            timezone.activate(chosen)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def robots_header(get_response: Callable[[HttpRequest], HttpResponse]):
    """X-Robots-Tag: noindex on a page whose template asked for it (robots_tags.robots_meta),
    for search engines that read headers rather than pages."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if getattr(request, "robots_noindex", False):
            response["X-Robots-Tag"] = "noindex"
        return response

    return middleware


_USER_PATH = re.compile(r"^/users/(?P<login>[^/]+)(?P<rest>/.*)?\Z")
_PSEUD_PATH = re.compile(r"^/pseuds/(?P<pseud>[^/]+)(?P<rest>/.*)?\Z")


def past_username_redirect(get_response: Callable[[HttpRequest], HttpResponse]):
    """/users/<old login>/... answers 301 to the same page under the account's new login
    (accounts/actions/usernames.py), when the page was not found under the old one. Only
    404s are looked at, so pages that exist cost nothing more; the default pseud, renamed
    with the login, is followed too (/users/<old>/pseuds/<old>)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        match = _USER_PATH.match(request.path_info)
        if match is None:
            return response
        from .queries import find_user, past_username_owner

        old = match["login"]  # path_info is decoded already
        if find_user(old) is not None:
            return response
        owner = past_username_owner(old)
        if owner is None:
            return response
        rest = match["rest"] or ""
        pseud = _PSEUD_PATH.match(rest)
        if pseud is not None and pseud["pseud"].lower() == old.lower():
            rest = f"/pseuds/{quote(owner.username)}{pseud['rest'] or ''}"
        target = f"{request.META.get('SCRIPT_NAME', '')}/users/{quote(owner.username)}{rest}"
        if request.META.get("QUERY_STRING"):
            target += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(target)

    return middleware
