"""Rate limits every worker shares: counts of events in fixed windows, kept in the "ratelimit"
cache (settings.CACHES: a database table by default, Redis with REDIS_URL), never in one
worker's memory, where N workers would allow N times the limit.

Each limit has a name and a rate in settings.RATE_LIMITS ("count/seconds", each overridable as
QUIRE_RATE_<NAME>). A caller counts one event against one or more keys (an address, an account,
an e-mail, a URL) with hit(); past the rate for any key it raises RateLimited, which
RateLimitMiddleware answers with a 429 (the site's page for a browser, JSON for a JSON client)
and a Retry-After header. A form may instead catch it and show the message in place.

On Redis, incr() is atomic. On the database cache it is a read and a write, so two workers
counting at the same instant may count once: the limit can be passed by the number of workers
at most, never by a multiple of the rate.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

CACHE_ALIAS = "ratelimit"


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """ "5/20" is five events in twenty seconds."""
        count, _, seconds = text.partition("/")
        rate = cls(int(count), int(seconds))
        if rate.count < 1 or rate.seconds < 1:
            raise ValueError(f"A rate needs a positive count and window: {text!r}")
        return rate


class RateLimited(Exception):
    """Too many events; `retry_after` is the number of seconds until the window turns."""

    def __init__(self, retry_after: int, message: str = "") -> None:
        self.retry_after = max(1, retry_after)
        self.message = message or (
            "You have done that too many times. Please wait "
            f"{_wait_text(self.retry_after)} and try again."
        )
        super().__init__(self.message)


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{round(minutes / 60)} hours"


def rate(name: str) -> Rate:
    return Rate.parse(settings.RATE_LIMITS[name])


def _key(name: str, value: str, window: int) -> str:
    # Hashed: addresses, e-mails and logins are personal data, and cache keys have a length
    # limit.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"rl:{name}:{digest}:{window}"


def hit(name: str, *values: str, message: str = "") -> None:
    """Count one event of limit `name` against each of `values` (empty ones are skipped);
    raise RateLimited once any of them is past the rate in the current window. The refused
    event is counted too, so hammering does not reopen the window early."""
    limit = rate(name)
    now = int(time.time())
    window = now // limit.seconds
    store = caches[CACHE_ALIAS]
    over = False
    for value in values:
        if not value:
            continue
        key = _key(name, value, window)
        store.add(key, 0, timeout=limit.seconds + 1)
        try:
            count = store.incr(key)
        except ValueError:  # expired between add() and incr()
            store.add(key, 1, timeout=limit.seconds + 1)
            count = 1
        over = over or count > limit.count
    if over:
        raise RateLimited(limit.seconds - now % limit.seconds, message)


def wants_json(request: HttpRequest) -> bool:
    """A client that asked for JSON (an API call, a script's fetch) gets JSON errors."""
    accept = request.headers.get("Accept", "")
    return (
        request.path.endswith(".json")
        or request.path.startswith("/api/")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or ("application/json" in accept and "text/html" not in accept)
    )


def too_many_requests(request: HttpRequest, limited: RateLimited) -> HttpResponse:
    """The 429 answer: JSON for a JSON client, else the site's page; Retry-After on both."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(
            {"error": "too_many_requests", "message": limited.message}, status=429
        )
    else:
        response = render(request, "errors/429.html", {"limited": limited}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


class RateLimitMiddleware:
    """Answers RateLimited, raised by any view, with too_many_requests()."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None
