"""The limit on all requests per address (settings.RATE_LIMITS["requests"]; AO3: 300 every
5 minutes per IP): generous enough that no reader meets it, low enough that a scraper or a
runaway script does.

It sits early in settings.MIDDLEWARE: after WhiteNoise (static files never count) and before
the guest page cache and sessions, so a refused request costs nothing further and a counted
one costs only the count: one Redis round trip with REDIS_URL; on the database cache, a few
small queries on one indexed table (docs/architecture.md "Rate limits" has the measured
number; bench/limits.py measures it). The count is in the shared "ratelimit" cache, never a
worker's memory: N workers must not allow N times the rate.

The address is limits.client_address(): REMOTE_ADDR, or X-Forwarded-For as set by a proxy in
settings.TRUSTED_PROXIES. Addresses in settings.RATE_LIMIT_SAFE_NETWORKS (the machine itself
by default) are not counted: a proxy that does not pass the client's address on would
otherwise make every reader one address, and the site would refuse everyone at once.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import limits

# Paths never counted: static files WhiteNoise did not answer (a missing one, or in
# development, where Django's staticfiles view serves them).
EXEMPT_PREFIXES = (settings.STATIC_URL or "/static/",)


class RequestRateLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        # A mistyped network or rate fails at start-up, not on the first request.
        limits.parse_networks(tuple(settings.RATE_LIMIT_SAFE_NETWORKS))
        limits.parse_networks(tuple(settings.TRUSTED_PROXIES))
        limits.rate("requests")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(EXEMPT_PREFIXES):
            try:
                limits.hit("requests", limits.address_key(request), message=TOO_MANY_REQUESTS)
            except limits.RateLimited as limited:
                return limits.too_many_requests(request, limited)
        return self.get_response(request)


TOO_MANY_REQUESTS = (
    "You have sent more requests than the archive can answer from one address in a few "
    "minutes. Please wait a little and try again."
)
