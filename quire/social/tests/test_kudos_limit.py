"""Kudos posts per address and per account (settings.RATE_LIMITS["kudos"]): past the rate,
the site's 429 page for a browser and JSON for kudos.js, both with Retry-After."""

import pytest

from quire.conftest import client_for
from quire.social.models import Kudo
from quire.testing import make_work, parse, text_of

pytestmark = pytest.mark.django_db

GUEST = "203.0.113.30"


@pytest.fixture(autouse=True)
def _fresh_counts(settings, limits_clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kudos": "2/300"}


@pytest.fixture
def works(alice):
    return [make_work(author=alice, title=f"Work {n}") for n in range(4)]


def kudos(client, work, ip=GUEST, **headers):
    return client.post(f"/works/{work.pk}/kudos", REMOTE_ADDR=ip, **headers)


def kudos_json(client, work, ip=GUEST):
    return kudos(
        client, work, ip, HTTP_X_REQUESTED_WITH="XMLHttpRequest", HTTP_ACCEPT="application/json"
    )


def test_a_browser_past_the_rate_gets_the_429_page(client, works):
    assert kudos(client, works[0]).status_code == 302
    assert kudos(client, works[1]).status_code == 302
    response = kudos(client, works[2], HTTP_ACCEPT="text/html")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert "a lot of kudos in a short time" in text_of(parse(response))
    assert Kudo.objects.count() == 2


def test_the_next_window_allows_kudos_again(client, works, limits_clock):
    kudos(client, works[0])
    kudos(client, works[1])
    limits_clock(300)
    assert kudos(client, works[2]).status_code == 302


def test_the_script_past_the_rate_gets_json(client, works):
    kudos_json(client, works[0])
    kudos_json(client, works[1])
    response = kudos_json(client, works[2])
    assert response.status_code == 429
    assert response.json()["error"] == "too_many_requests"
    assert "a lot of kudos" in response.json()["message"]
    assert int(response["Retry-After"]) >= 1


def test_an_account_is_limited_from_any_address(works, bob):
    client = client_for(bob)
    kudos(client, works[0], ip="198.51.100.1")
    kudos(client, works[1], ip="198.51.100.2")
    assert kudos(client, works[2], ip="198.51.100.3").status_code == 429


def test_other_addresses_keep_their_own_count(client, works):
    kudos(client, works[0])
    kudos(client, works[1])
    assert kudos(client, works[2], ip="198.51.100.9").status_code == 302
