"""Log-in posts per address and per login typed (settings.RATE_LIMITS["login"], AO3: 5 in
20 seconds each) and password-reset requests (AO3: 3
in 12 hours per account), all counted in the shared "ratelimit" cache. Counted on top of the
failed-login lockout (test_ratelimit.py). `make redis-test` runs these with REDIS_URL too."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from quire.lib import limits
from quire.testing import TEST_PASSWORD, form_value, parse, text_of

pytestmark = pytest.mark.django_db

GUEST = "203.0.113.20"
WRONG = "wrong password"


@pytest.fixture(autouse=True)
def _fresh_counts(settings, limits_clock):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "login": "3/20",
        "password_reset": "2/43200",
    }
    # Failed-login lockout out of the way: these tests are about every post.
    settings.LOGIN_FAILURES_PER_ACCOUNT = settings.LOGIN_FAILURES_PER_ADDRESS = 100


def log_in(client, login, password=WRONG, address=GUEST):
    return client.post(
        "/users/login", {"user[login]": login, "user[password]": password}, REMOTE_ADDR=address
    )


def test_it_refuses_the_login_past_the_rate_with_429_keeping_what_was_typed(alice):
    client = Client()
    for _ in range(3):
        assert log_in(client, "alice").status_code == 200
    response = log_in(client, "alice", TEST_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 20  # the window's whole length: the clock stands
    page = parse(response)
    assert "too many times" in text_of(page)
    assert form_value(page, "user[login]") == "alice"
    assert "_auth_user_id" not in client.session


def test_the_next_window_lets_the_login_in(alice, limits_clock):
    for _ in range(4):
        log_in(Client(), "alice")
    limits_clock(20)
    assert log_in(Client(), "alice", TEST_PASSWORD).status_code == 302


def test_successful_logins_count_too(alice):
    for _ in range(3):
        assert log_in(Client(), "alice", TEST_PASSWORD).status_code == 302
    assert log_in(Client(), "alice", TEST_PASSWORD).status_code == 429


def test_the_login_typed_is_counted_from_any_address(alice):
    for number in range(3):
        log_in(Client(), "Alice", address=f"198.51.100.{number + 1}")
    assert log_in(Client(), "alice", TEST_PASSWORD, address="198.51.100.9").status_code == 429


def test_the_address_is_counted_whatever_login_it_types(alice, bob):
    for login in ("x1", "x2", "x3"):
        log_in(Client(), login)
    assert log_in(Client(), "bob", TEST_PASSWORD).status_code == 429
    # Another address logs bob in.
    assert log_in(Client(), "bob", TEST_PASSWORD, address="198.51.100.1").status_code == 302


def test_the_machine_itself_is_counted_per_login_only(alice):
    for login in ("x1", "x2", "x3", "x4"):
        assert log_in(Client(), login, address="127.0.0.1").status_code == 200


def test_allauths_own_login_limit_is_off_and_its_others_count_in_the_shared_store(rf, settings):
    from allauth.core import ratelimit as allauth_ratelimit
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/x", REMOTE_ADDR=GUEST)
    request.user = AnonymousUser()
    for _ in range(50):  # allauth's own "login" limit would refuse past 30 a minute
        assert allauth_ratelimit.consume(request, action="login")
    caches["default"].clear()
    for _ in range(3):  # login codes: 3 a minute per e-mail address
        assert allauth_ratelimit.consume(request, action="request_login_code", key="k")
    assert not allauth_ratelimit.consume(request, action="request_login_code", key="k")
    # Forgotten with the shared store: that is where it was counted, not a worker's memory.
    caches[limits.CACHE_ALIAS].clear()
    assert allauth_ratelimit.consume(request, action="request_login_code", key="k")


# Password reset: per account (any of its addresses, any case) and per address, with the
# same message whether the account exists or not.


def reset(client, email, address=GUEST):
    return client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_resets_are_limited_per_account(alice):
    for number in range(2):
        response = reset(Client(), "alice@example.org", address=f"198.51.100.{number + 1}")
        assert response.status_code == 302
    assert len(mail.outbox) == 2
    response = reset(Client(), "ALICE@example.org", address="198.51.100.9")
    assert response.status_code == 200
    page = parse(response)
    assert "Too many password reset requests" in text_of(page)
    assert form_value(page, "email") == "ALICE@example.org"
    assert len(mail.outbox) == 2


def test_password_resets_are_limited_per_address(alice, bob):
    reset(Client(), "nobody@example.org")
    reset(Client(), "bob@example.org")
    assert reset(Client(), "alice@example.org").status_code == 200
    assert reset(Client(), "alice@example.org", address="198.51.100.1").status_code == 302


def test_the_refusal_is_the_same_for_an_address_with_no_account(alice):
    def refusal(email):
        for number in range(2):
            reset(Client(), email, address=f"198.51.100.{number + 1}")
        return text_of(parse(reset(Client(), email, address="198.51.100.9")))

    assert refusal("nobody@example.org") == refusal("alice@example.org").replace(
        "alice@example.org", "nobody@example.org"
    )
