from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
