"""Failed-login limits, shared by every worker and keyed on what is attacked, not on what was
typed.

Each failure counts twice: against the account the login names (whichever spelling named it:
username or e-mail, any case; an unknown login counts against its lower-cased text) and
against the client's address. Past LOGIN_FAILURES_PER_ACCOUNT, or LOGIN_FAILURES_PER_ADDRESS,
within LOGIN_FAILURE_MINUTES, even the right password is refused until the window passes.
The counts live in the "ratelimit" cache (settings.CACHES): a database table by default,
Redis with REDIS_URL; never a worker's own memory, where N workers would allow N times the
limit. The site's login (allauth's adapter) and /admin/login/ (accounts.admin) both use it.
"""

import hashlib

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest

from .queries import login_account

CACHE_ALIAS = "ratelimit"
TOO_MANY = "Too many failed login attempts. Try again later, or reset your password."


def _store() -> BaseCache:
    return caches[CACHE_ALIAS]


def _counters(request: HttpRequest, login: str) -> list[tuple[str, int]]:
    """The (cache key, limit) pairs one failure of `login` from this client counts against."""
    account = login_account(login)
    subject = f"user:{account.pk}" if account else f"login:{login.strip().lower()}"
    address = get_adapter().get_client_ip(request)
    return [
        (_key("account", subject), settings.LOGIN_FAILURES_PER_ACCOUNT),
        (_key("address", address), settings.LOGIN_FAILURES_PER_ADDRESS),
    ]


def _key(kind: str, value: str) -> str:
    # Hashed: logins and addresses are personal data, and keys have a length limit.
    return f"login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def login_refused(request: HttpRequest, login: str) -> bool:
    """Whether a login attempt for `login` from this client must be refused unchecked."""
    counters = _counters(request, login)
    counts = _store().get_many([key for key, _ in counters])
    return any(counts.get(key, 0) >= limit for key, limit in counters)


def record_login_failure(request: HttpRequest, login: str) -> None:
    """Count a failed attempt (a wrong password, an unknown login) against its account and
    its client's address."""
    store, window = _store(), settings.LOGIN_FAILURE_MINUTES * 60
    for key, _ in _counters(request, login):
        # add() starts the window; incr() is atomic on Redis. On the database cache it is a
        # read then a write, so two workers failing at the same instant may count once: the
        # limit can stretch by a worker or two, never by a factor of the worker count.
        store.add(key, 0, timeout=window)
        try:
            store.incr(key)
        except ValueError:  # expired between the two calls
            store.add(key, 1, timeout=window)
