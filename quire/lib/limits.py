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

import functools
import hashlib
import time
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
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
    # Each key lives until its window ends (a key names its window, so none is reused).
    left = limit.seconds - now % limit.seconds
    store = caches[CACHE_ALIAS]
    over = False
    for value in values:
        if not value:
            continue
        count = _count(store, _key(name, value, window), timeout=left + 1)
        over = over or count > limit.count
    if over:
        raise RateLimited(left, message)


def _count(store: BaseCache, key: str, *, timeout: int) -> int:
    """Add one to the count at `key` and return it.

    Redis's INCR is atomic and keeps the key's expiry. Other backends' incr() is a get and a
    set() with the cache's default timeout (five minutes), which would forget a 12-hour count
    five minutes after its last event: there, a get and a set with the window's own timeout
    (four queries on the database cache; add() first would make it seven)."""
    if isinstance(store, RedisCache):
        try:
            return store.incr(key)
        except ValueError:  # the window's first event
            if store.add(key, 1, timeout=timeout):
                return 1
            return store.incr(key)  # another worker started it first
    count = store.get(key)
    if count is None:
        if store.add(key, 1, timeout=timeout):
            return 1
        count = store.get(key) or 0  # another worker started it first
    store.set(key, count + 1, timeout=timeout)
    return count + 1


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


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless that is a proxy in
    settings.TRUSTED_PROXIES; then the nearest address in X-Forwarded-For that is not one
    (each proxy appends the address it heard from, so the entries left of the last untrusted
    one are the client's to forge). Without trusted proxies X-Forwarded-For is never read.
    social.visitors.client_ip is this too."""
    address = request.META.get("REMOTE_ADDR") or ""
    if not _in(address, settings.TRUSTED_PROXIES):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if not _in(hop, settings.TRUSTED_PROXIES):
            return hop if _parses(hop) else address
    return address


def _parses(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True


def _in(address: str, networks: list[str]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in parse_networks(tuple(networks)))


@functools.lru_cache(maxsize=4)
def parse_networks(spelled: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(network.strip(), strict=False) for network in spelled if network)


def is_safe_address(address: str) -> bool:
    """Whether `address` is in settings.RATE_LIMIT_SAFE_NETWORKS (the machine itself by
    default): a proxy or the server's own scripts, never one client among many."""
    return _in(address, settings.RATE_LIMIT_SAFE_NETWORKS)


def address_key(request: HttpRequest) -> str:
    """The client's address as a key for hit(): "" (which hit() skips) for a safe address,
    so per-address limits leave the machine itself alone while per-account ones still count."""
    address = client_address(request)
    return "" if is_safe_address(address) else address
