"""Failed logins are limited per account (whichever spelling names it: username, e-mail, any
case) and per client address, in a store every worker shares. (/admin/ signs in through the
site's login: test_admin_mfa.py.)
`make redis-test` runs these again with REDIS_URL."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from quire.accounts import ratelimit
from quire.testing import TEST_PASSWORD, parse, text_of

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 12
    # Every post is limited too (test_login_limits.py): out of the way of these.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1000/20"}


def log_in(client: Client, login: str, password: str, *, address: str = "127.0.0.1"):
    return client.post(
        "/users/login", {"user[login]": login, "user[password]": password}, REMOTE_ADDR=address
    )


def test_mixed_spellings_of_one_account_share_one_limit(alice):
    client = Client()
    spellings = ["alice", "alice@example.org", "ALICE", "Alice@Example.org", "alice"]
    for login in spellings:  # five failures, each under a spelling of its own
        response = log_in(client, login, "wrong password")
        assert response.status_code == 200
        assert TOO_MANY not in text_of(parse(response))
    # The sixth try is refused even with the right password, under yet another spelling.
    response = log_in(client, "aLiCe", TEST_PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in text_of(parse(response))
    assert "_auth_user_id" not in client.session


def test_the_limit_holds_from_another_address_too(alice):
    for number in range(5):
        log_in(Client(), "alice", "wrong password", address=f"10.0.0.{number + 1}")
    client = Client()
    assert TOO_MANY in text_of(parse(log_in(client, "alice", TEST_PASSWORD, address="10.0.1.1")))
    assert "_auth_user_id" not in client.session


def test_a_successful_login_does_not_count(alice):
    for _ in range(8):
        client = Client()
        assert log_in(client, "alice", TEST_PASSWORD).status_code == 302
    assert log_in(Client(), "alice", TEST_PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_limited(alice, bob):
    for number in range(12):
        log_in(Client(), f"nobody{number}", "wrong password", address="10.9.9.9")
    client = Client()
    assert TOO_MANY in text_of(parse(log_in(client, "bob", TEST_PASSWORD, address="10.9.9.9")))
    # Another address is not held back by that one's guesses.
    assert log_in(Client(), "bob", TEST_PASSWORD, address="10.9.9.10").status_code == 302


def test_two_workers_share_the_count(alice, monkeypatch):
    # Two cache clients made from the same settings, as two worker processes make theirs.
    assert not isinstance(caches[ratelimit.CACHE_ALIAS], LocMemCache)
    workers = [caches.create_connection(ratelimit.CACHE_ALIAS) for _ in range(2)]
    turn = iter(range(100))
    monkeypatch.setattr(ratelimit, "_store", lambda: workers[next(turn) % 2])
    client = Client()
    for _ in range(5):
        log_in(client, "alice", "wrong password")
    assert TOO_MANY in text_of(parse(log_in(client, "alice", TEST_PASSWORD)))
