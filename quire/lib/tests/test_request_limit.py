"""The limit on all requests per address (lib/ratelimit_middleware.py), and the shared store
every worker counts in (lib/limits.py)."""

from datetime import UTC, datetime

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.lib import limits

GUEST = "203.0.113.7"
OTHER = "198.51.100.4"


@pytest.fixture(autouse=True)
def _fresh_counts(settings, db, limits_clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "requests": "3/300"}


def _get(client, path="/", address=GUEST, **headers):
    return client.get(path, REMOTE_ADDR=address, **headers)


def test_it_refuses_an_address_past_the_rate_with_the_sites_429_page(client):
    for _ in range(3):
        assert _get(client).status_code == 200
    response = _get(client, HTTP_ACCEPT="text/html")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert b"Too many requests" in response.content
    assert b'id="header"' in response.content  # the site's layout


def test_a_json_client_gets_json_with_retry_after(client):
    for _ in range(3):
        _get(client)
    response = _get(client, "/works.json", HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response.json()["error"] == "too_many_requests"
    assert int(response["Retry-After"]) >= 1


def test_each_address_has_its_own_count(client):
    for _ in range(4):
        _get(client)
    assert _get(client, address=OTHER).status_code == 200


def test_every_method_counts(client):
    for _ in range(3):
        client.post("/users/login", REMOTE_ADDR=GUEST)
    assert _get(client).status_code == 429


def test_the_machine_itself_is_not_counted(client):
    for _ in range(5):
        assert _get(client, address="127.0.0.1").status_code == 200
        assert _get(client, address="::1").status_code == 200


def test_safe_networks_are_a_setting(client, settings):
    settings.RATE_LIMIT_SAFE_NETWORKS = ["10.0.0.0/8"]
    for _ in range(5):
        assert _get(client, address="10.1.2.3").status_code == 200
    for _ in range(3):
        _get(client, address="127.0.0.1")
    assert _get(client, address="127.0.0.1").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    for _ in range(3):
        # What the client sent (a forged "127.0.0.1") is left of what the proxy heard.
        client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"127.0.0.1, {GUEST}")
    response = client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=GUEST)
    assert response.status_code == 429
    assert client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OTHER).status_code == 200


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client):
    for _ in range(5):
        response = client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=GUEST)
        assert response.status_code == 200
    for _ in range(3):
        client.get("/", REMOTE_ADDR=GUEST, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert _get(client).status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "client_is"),
    [
        ("10.0.0.1", "", "10.0.0.1"),  # not a trusted proxy: its header is not read
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", "198.51.100.1, ::1, 127.0.0.1", "198.51.100.1"),
        ("::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address(rf, settings, remote, forwarded, client_is):
    settings.TRUSTED_PROXIES = ["127.0.0.0/8", "::1"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert limits.client_address(request) == client_is


def test_static_files_are_not_counted(client):
    for _ in range(5):
        client.get("/static/css/missing.css", REMOTE_ADDR=GUEST)
    assert _get(client).status_code == 200


def _table_queries(captured) -> list[str]:
    """The statements that read or write a table (not SAVEPOINT and the like)."""
    return [q["sql"] for q in captured if q["sql"].split()[0] in ("SELECT", "INSERT", "UPDATE")]


def _on_redis() -> bool:
    return isinstance(caches[limits.CACHE_ALIAS], RedisCache)


def test_a_refused_request_touches_nothing_past_the_count(client):
    for _ in range(3):
        _get(client)
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, "/works")
    assert response.status_code == 429
    # Only the ratelimit table: no session, no user, no works.
    assert all("quire_ratelimit_cache" in sql for sql in _table_queries(queries.captured_queries))


def test_a_counted_request_costs_four_queries_on_the_database_cache_and_none_on_redis(client):
    """The number docs/architecture.md gives (a get, then set()'s count, select and update)."""
    _get(client, "/static/nothing")
    _get(client, "/static/nothing", address=GUEST)
    client.get("/no-such-page", REMOTE_ADDR=GUEST)  # the window's first event: the insert
    with CaptureQueriesContext(connection) as counted:
        client.get("/no-such-page", REMOTE_ADDR=GUEST)
    ours = [sql for sql in _table_queries(counted.captured_queries) if "ratelimit" in sql]
    assert len(ours) == (0 if _on_redis() else 4)


def test_a_count_lives_as_long_as_its_window(settings):
    """Not the cache's default five minutes: a 12-hour limit must hold for 12 hours."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "3/43200"}
    limits.hit("password_reset", GUEST)
    limits.hit("password_reset", GUEST)
    store = caches[limits.CACHE_ALIAS]
    window = int(limits.time.time()) // 43200
    key = store.make_key(limits._key("password_reset", GUEST, window))
    if _on_redis():
        ttl = store._cache.get_client(key).ttl(key)  # type: ignore[attr-defined]
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM quire_ratelimit_cache WHERE cache_key = %s", [key])
            expires = cursor.fetchone()[0]
        if isinstance(expires, str):  # SQLite
            expires = datetime.fromisoformat(expires)
        ttl = (expires.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
    assert ttl > 43000  # the clock stands at the window's start


# Two workers: two cache objects built from the same settings, as two processes would make.


def _two_workers() -> tuple[BaseCache, BaseCache]:
    return caches.create_connection(limits.CACHE_ALIAS), caches.create_connection(
        limits.CACHE_ALIAS
    )


def test_two_workers_share_one_count(monkeypatch, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kudos": "3/300"}
    first, second = _two_workers()
    assert first is not second

    def hit_on(worker: BaseCache) -> None:
        monkeypatch.setattr(limits, "caches", {limits.CACHE_ALIAS: worker})
        limits.hit("kudos", GUEST)

    hit_on(first)
    hit_on(second)
    hit_on(first)
    with pytest.raises(limits.RateLimited):
        hit_on(second)
