"""Whole-page cache for guests' work pages.

A guest (no session cookie) reading a work gets a page that depends only on the work, so
Quire keeps the rendered page and answers the next guest before any middleware that touches
the database runs.

Each stored page remembers the *generation* of its work, read before the view touched the
database. Every action that changes a work gives it a new generation (`expire_work_pages`,
called at once and again on commit), and a page is served only while its work's generation is
unchanged. Generations live where every app process sees them: in Redis when REDIS_URL is set,
otherwise in a small memory-mapped file in the data dir shared by the workers of one machine.
Pages themselves sit in each process's local cache; a stale one is never served because its
generation no longer matches.
"""

import hashlib
import logging
import mmap
import os
import secrets
import struct
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

_PAGE = "guest-page:{}"
# Response headers worth keeping with a cached page.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")
# Whole 50-chapter works can run to megabytes; those are rendered each time rather than
# crowding every other page out of a process's memory.
_MAX_PAGE_BYTES = 512 * 1024


class _FileGenerations:
    """Per-work generations in a memory-mapped file: 65,536 slots of 8 bytes, work id modulo
    the slot count. Two works sharing a slot only expire each other's pages, which is safe.
    A write stores a fresh random value, so two racing writers can never leave the value a
    reader saw before either of them."""

    SLOTS = 1 << 16

    def __init__(self, path: os.PathLike) -> None:
        self.path = path
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def _slots(self) -> mmap.mmap:
        if self._map is None:
            with self._lock:
                if self._map is None:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                    try:
                        if os.fstat(fd).st_size < self.SLOTS * 8:
                            os.ftruncate(fd, self.SLOTS * 8)
                        self._map = mmap.mmap(fd, self.SLOTS * 8)
                    finally:
                        os.close(fd)
        return self._map

    def get(self, work_id: int) -> int:
        return struct.unpack_from("<Q", self._slots(), (work_id % self.SLOTS) * 8)[0]

    def bump(self, work_ids: Iterable[int]) -> None:
        slots = self._slots()
        for work_id in work_ids:
            struct.pack_into("<Q", slots, (work_id % self.SLOTS) * 8, secrets.randbits(64))


class _CacheGenerations:
    """Per-work generations in the cache, when it is shared (Redis), for several machines."""

    def get(self, work_id: int) -> int:
        return caches["default"].get(f"work-generation:{work_id}", 0)

    def bump(self, work_ids: Iterable[int]) -> None:
        caches["default"].set_many(
            {f"work-generation:{work_id}": secrets.randbits(63) for work_id in work_ids},
            timeout=None,
        )


_generations: _FileGenerations | _CacheGenerations | None = None


def generations() -> _FileGenerations | _CacheGenerations:
    # One table per process, opened on first use.
    global _generations
    if _generations is None:
        if settings.REDIS_URL:
            _generations = _CacheGenerations()
        else:
            _generations = _FileGenerations(settings.DATA_DIR / "page-generations")
    return _generations


def expire_work_pages(work_ids: Iterable[int]) -> None:
    """Give these works a new generation: none of their cached guest pages is served again."""
    generations().bump(list(work_ids))


def mark_guest_cacheable(response: HttpResponse, work) -> HttpResponse:
    """Let the middleware keep this response for other guests of this work."""
    response.guest_page_work = work.pk  # type: ignore[attr-defined]
    return response


def is_guest_request(request: HttpRequest) -> bool:
    """A GET without a session cookie: nothing about the visitor can change the page."""
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _page_key(request: HttpRequest) -> str:
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return _PAGE.format(digest)


def _etag(work_id: int, generation: int, key: str) -> str:
    return f'"{work_id}-{generation:x}-{key[-8:]}"'


def _finish(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.GUEST_PAGE_TTL)
    patch_vary_headers(response, ("Cookie",))
    return response


def _count_guest_hit(work_id: int, request: HttpRequest) -> None:
    """A hit for a guest served from the cache: usually no query at all (the process
    remembers the IP's view today), otherwise one INSERT; a failure costs the hit, not the
    page."""
    from quire.social.actions import do_record_hit  # the social app builds on this module

    try:
        do_record_hit(work_id, request.META.get("REMOTE_ADDR"))
    except DatabaseError:
        logger.exception("Could not buffer a hit on work %s", work_id)


class GuestPageCacheMiddleware:
    """Serve and store guests' work pages. Sits above the session middleware on purpose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_guest_request(request):
            return self.get_response(request)
        key = _page_key(request)
        entry = caches["default"].get(key)
        if entry is not None and generations().get(entry["work_id"]) == entry["generation"]:
            etag = _etag(entry["work_id"], entry["generation"], key)
            if entry.get("hit"):
                _count_guest_hit(entry["work_id"], request)
            if request.headers.get("If-None-Match") == etag:
                return _finish(HttpResponse(status=304), etag)
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"].items():
                response[name] = value
            return _finish(response, etag)
        response = self.get_response(request)
        self._store(request, response, key)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # Read the generation before the view reads the database: a change that commits
        # while the page renders then always wins over the page.
        work_id = view_kwargs.get("work_id")
        if work_id is not None and is_guest_request(request):
            request.guest_page_generation = generations().get(work_id)  # type: ignore[attr-defined]

    def _store(self, request: HttpRequest, response: HttpResponse, key: str) -> None:
        work_id = getattr(response, "guest_page_work", None)
        generation = getattr(request, "guest_page_generation", None)
        if (
            work_id is None
            or generation is None
            or response.status_code != 200
            or response.cookies  # the view started a session or set a token: personal
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.streaming
            or len(response.content) > _MAX_PAGE_BYTES
        ):
            return
        headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
        entry = {
            "work_id": work_id,
            "generation": generation,
            "content": response.content,
            "headers": headers,
            # The view counted its guest's hit: later guests served from here count too.
            "hit": bool(getattr(response, "guest_page_hit", False)),
        }
        caches["default"].set(key, entry, settings.GUEST_PAGE_TTL)
        _finish(response, _etag(work_id, generation, key))
