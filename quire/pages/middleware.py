"""Two middlewares of the pages app.

SiteBannerMiddleware puts the site banner into every page, above the guest page cache: the
cached body holds only base.html's marker, so one guest's dismissal is never cached for
another, a dismissal holds on cached pages too, and a new banner text shows at once.

TermsAcceptanceMiddleware sends a logged-in user who has new terms to accept to /tos/accept.
The session remembers the terms number accepted and each worker keeps the number required
(pages.queries.required_terms_number), so a user who is up to date costs no query.
"""

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from .models import SiteSettings
from .queries import required_terms_number, site_settings, terms_to_accept

BANNER_MARK = b"<!--quire:site-banner-->"
BANNER_COOKIE = "banner_dismissed"
BANNER_COOKIE_AGE = 365 * 24 * 3600
TERMS_SESSION_KEY = "terms_accepted"

# Never sent to accept the terms: the terms and the other rules pages (to read what they
# accept), logging out, static files, the banner's dismissal and JSON endpoints.
_TERMS_FREE = re.compile(
    r"^/(?:(?:tos|content|privacy|faq|about)(?:/|$)|static/|media/|api/|opds/)"
)
_TERMS_FREE_NAMES = ("account_logout", "pages:banner-dismiss")


def banner_key(row: SiteSettings) -> str:
    """Names one banner text: its change time in microseconds."""
    changed = row.banner_changed_at
    return str(int(changed.timestamp() * 1_000_000)) if changed else "0"


def _banner_html(request: HttpRequest, row: SiteSettings, key: str) -> bytes:
    # No CSRF token: the dismissal takes none (pages.views.banner_dismiss says why).
    context = {"banner": row.banner, "key": key, "return_to": request.get_full_path()}
    return render_to_string("pages/_banner.html", context).strip().encode()


class SiteBannerMiddleware:
    """Sits above works.pagecache.GuestPageCacheMiddleware. When a banner is set, it fills
    base.html's marker (or empties it for a browser that dismissed this banner) and adds the
    banner's state to ETags, so a validator from another state never gets a 304."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        row = site_settings()
        if not row.banner:
            return self.get_response(request)
        key = banner_key(row)
        dismissed = request.COOKIES.get(BANNER_COOKIE) == key
        state = f"-b{key}{'d' if dismissed else 's'}"
        sent = request.META.get("HTTP_IF_NONE_MATCH")
        if sent is not None:
            if sent.endswith(f'{state}"'):
                request.META["HTTP_IF_NONE_MATCH"] = sent[: -len(state) - 1] + '"'
            else:
                del request.META["HTTP_IF_NONE_MATCH"]
        response = self.get_response(request)
        etag = response.get("ETag")
        if etag and etag.endswith('"'):
            response["ETag"] = etag[:-1] + state + '"'
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and BANNER_MARK in response.content
        ):
            banner = b"" if dismissed else _banner_html(request, row, key)
            response.content = response.content.replace(BANNER_MARK, banner, 1)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _terms_free(request: HttpRequest) -> bool:
    path = request.path_info
    if _TERMS_FREE.match(path) or path in {reverse(name) for name in _TERMS_FREE_NAMES}:
        return True
    accept = request.headers.get("Accept", "")
    return "json" in (request.content_type or "") or (
        "application/json" in accept and "text/html" not in accept
    )


class TermsAcceptanceMiddleware:
    """After AuthenticationMiddleware. Asks the database only when the required number is
    past what this session accepted: once per session after a change of terms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only pages are held back: a form sent as the terms change (a comment typed before
        # they did) goes through, and the page it leads to asks. Nothing typed is lost.
        if request.user.is_authenticated and request.method in ("GET", "HEAD"):
            required = required_terms_number()
            if required and request.session.get(TERMS_SESSION_KEY, 0) < required:
                if _terms_free(request):
                    pass
                elif terms_to_accept(request.user) is None:
                    request.session[TERMS_SESSION_KEY] = required
                else:
                    query = urlencode({"return_to": request.get_full_path()})
                    return redirect(f"{reverse('pages:terms-accept')}?{query}")
        return self.get_response(request)
