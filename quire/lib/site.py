"""The archive's base URL ("https://archive.example.org", no trailing slash), for absolute
links in downloads and e-mail. One answer for every app:

1. QUIRE_SITE_URL (settings.SITE_URL) when set: production sets it;
2. else the address the current request came to: a download or a mail built while serving a
   request links back to where the reader is, whatever PORT `make run` serves on;
3. else (a background task, a command) where `make run` serves: http://127.0.0.1:$PORT.

Downloads are built deep below their view, so the request's address is remembered for the
length of the request by `remember_request_site` (middleware), as Django remembers a request's
script prefix: only the address, never the request or its user.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_site: ContextVar[str] = ContextVar("quire_request_site", default="")


def _address(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def site_url(request: HttpRequest | None = None) -> str:
    """The archive's base URL, without a trailing slash (see the module's docstring)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return _address(request)
    return _request_site.get() or f"http://127.0.0.1:{settings.PORT}"


def remember_request_site(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: site_url() called anywhere while this request is served answers with the
    request's address. After CommonMiddleware, which has refused hosts not allowed."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = _request_site.set(_address(request))
        try:
            return get_response(request)
        finally:
            _request_site.reset(token)

    return middleware
