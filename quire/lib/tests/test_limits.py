import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import include, path

from quire.lib import limits
from quire.lib.limits import Rate, RateLimited, hit


def limited_view(request):
    hit("login", "203.0.113.9")
    return HttpResponse("ok")


# The site's own URLs too: the 429 page is drawn in the site's layout, which links them.
urlpatterns = [
    path("limited", limited_view),
    path("limited.json", limited_view),
    path("", include("quire.urls")),
]


@pytest.fixture(autouse=True)
def _fresh_counts(settings, db):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/60"}
    from django.core.cache import caches

    caches[limits.CACHE_ALIAS].clear()


def test_rate_parses_count_and_window():
    assert Rate.parse("5/20") == Rate(5, 20)
    with pytest.raises(ValueError):
        Rate.parse("0/20")


@pytest.mark.django_db
def test_hit_refuses_past_the_rate_for_any_key():
    hit("login", "a", "b")
    hit("login", "a", "c")
    with pytest.raises(RateLimited) as refused:
        hit("login", "d", "a")
    assert 1 <= refused.value.retry_after <= 60
    # Other keys have their own counts.
    hit("login", "e")


@pytest.mark.django_db
def test_keys_are_counted_case_blind_and_empty_ones_skipped():
    hit("login", "Alice@Example.org", "")
    hit("login", "alice@example.org", "")
    with pytest.raises(RateLimited):
        hit("login", "ALICE@example.org")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_browser_gets_the_sites_429_page_with_retry_after(client):
    client.get("/limited")
    client.get("/limited")
    response = client.get("/limited", HTTP_ACCEPT="text/html")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert b"Too many requests" in response.content
    assert b'id="header"' in response.content  # the site's layout


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_json_client_gets_json(client):
    for _ in range(2):
        client.get("/limited.json")
    response = client.get("/limited.json")
    assert response.status_code == 429
    assert response.json()["error"] == "too_many_requests"
    assert response["Retry-After"]


def test_wants_json():
    factory = RequestFactory()
    assert limits.wants_json(factory.get("/x", HTTP_ACCEPT="application/json"))
    assert not limits.wants_json(factory.get("/x", HTTP_ACCEPT="text/html,application/json"))
    assert limits.wants_json(factory.get("/api/v1/works"))
