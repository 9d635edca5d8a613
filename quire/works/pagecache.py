"""Whole-page cache for guests' work pages.

A guest (no session cookie) reading a work gets a page that depends only on the work, so
Quire keeps the rendered page and answers the next guest before any middleware that touches
the database runs. Each entry remembers the work's version; the entry is only used while the
work's *stamp* in the cache still holds that version. Every action that changes a work drops
its stamp on commit (`expire_work_pages`), so a change is visible at once in this process and,
with a shared cache (REDIS_URL), in every process. With the per-process default cache another
worker may serve the old page until GUEST_PAGE_TTL runs out, the same bound the
Cache-Control header gives proxies.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from .models import Work

_STAMP = "work-stamp:{}"
_PAGE = "guest-page:{}"
# Response headers worth keeping with a cached page.
_KEPT_HEADERS = ("Content-Type", "Content-Language")


def _page_key(request: HttpRequest) -> str:
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return _PAGE.format(digest)


def is_guest_request(request: HttpRequest) -> bool:
    """A cookieless-session GET: nothing about the visitor can change the page."""
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def mark_guest_cacheable(response: HttpResponse, work) -> HttpResponse:
    """Let the middleware keep this response for other guests, tied to the work's version."""
    response.guest_page = (work.pk, work.version)  # type: ignore[attr-defined]
    return response


def expire_work_pages(work_ids: Iterable[int]) -> None:
    """Forget the guest pages of these works (call on commit of any change to them)."""
    cache.delete_many([_STAMP.format(work_id) for work_id in work_ids])


def _etag(work_id: int, version: int, key: str) -> str:
    return f'"{work_id}-{version}-{key[-8:]}"'


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.GUEST_PAGE_TTL)
    patch_vary_headers(response, ("Cookie",))
    return response


class GuestPageCacheMiddleware:
    """Serve and store guests' work pages. Sits above the session middleware on purpose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_guest_request(request):
            return self.get_response(request)
        key = _page_key(request)
        entry = cache.get(key)
        if entry is not None and cache.get(_STAMP.format(entry["work_id"])) == entry["version"]:
            etag = _etag(entry["work_id"], entry["version"], key)
            if request.headers.get("If-None-Match") == etag:
                return _finish(HttpResponse(status=304), etag)
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"].items():
                response[name] = value
            return _finish(response, etag)
        response = self.get_response(request)
        self._store(request, response, key)
        return response

    def _store(self, request: HttpRequest, response: HttpResponse, key: str) -> None:
        marked = getattr(response, "guest_page", None)
        if (
            marked is None
            or response.status_code != 200
            or response.cookies  # the view started a session or set a token: personal
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.streaming
        ):
            return
        work_id, version = marked
        # A change committed while this page rendered must win: store only a current page.
        if not Work.objects.filter(pk=work_id, version=version).exists():
            return
        ttl = settings.GUEST_PAGE_TTL
        headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
        cache.set(
            key,
            {
                "work_id": work_id,
                "version": version,
                "content": response.content,
                "headers": headers,
            },
            ttl,
        )
        stamp = _STAMP.format(work_id)
        if cache.get(stamp) != version:
            cache.set(stamp, version, ttl)
        _finish(response, _etag(work_id, version, key))
