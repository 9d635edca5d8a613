from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
