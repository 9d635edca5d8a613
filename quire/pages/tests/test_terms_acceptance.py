"""New terms that ask for acceptance send logged-in users to /tos/accept, once, and cost an
up-to-date user no query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.pages.actions import do_accept_terms, do_publish_rule_version
from quire.pages.middleware import TERMS_SESSION_KEY
from quire.pages.models import RulePage, TermsAcceptance
from quire.pages.queries import terms_to_accept
from quire.testing import make_work

pytestmark = pytest.mark.django_db


def _new_terms(needs_acceptance: bool = True):
    return do_publish_rule_version(
        RulePage.objects.get(slug="tos"),
        body="<p>New terms.</p>",
        change_note="Clearer rules on comments.",
        needs_acceptance=needs_acceptance,
        by=None,
    )


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="A Tale", text="<p>Once.</p>")


def test_the_starting_terms_ask_nobody(bob_client, work):
    assert bob_client.get(f"/works/{work.pk}").status_code == 200


def test_new_terms_send_a_user_to_accept_them_and_back(bob, bob_client, work):
    version = _new_terms()
    response = bob_client.get(f"/works/{work.pk}?view_adult=true")
    assert response.status_code == 302
    assert response["Location"].startswith("/tos/accept?return_to=")
    page = bob_client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "New terms." in body and "I accept" in body and "/users/logout" in body
    assert "Clearer rules on comments." in body
    accepted = bob_client.post(
        "/tos/accept", {"version": version.pk, "return_to": f"/works/{work.pk}?view_adult=true"}
    )
    assert (
        accepted.status_code == 302 and accepted["Location"] == f"/works/{work.pk}?view_adult=true"
    )
    assert TermsAcceptance.objects.filter(user=bob, version=version).exists()
    assert bob_client.get(f"/works/{work.pk}").status_code == 200


def test_a_user_who_accepted_is_not_asked_again_in_a_new_session(bob, work):
    _new_terms()
    do_accept_terms(bob)
    assert client_for(bob).get(f"/works/{work.pk}").status_code == 200


def test_a_later_version_that_asks_asks_again_but_a_small_change_does_not(bob, bob_client, work):
    _new_terms()
    do_accept_terms(bob)
    assert bob_client.get(f"/works/{work.pk}").status_code == 200
    _new_terms(needs_acceptance=False)
    assert bob_client.get(f"/works/{work.pk}").status_code == 200
    _new_terms()
    assert bob_client.get(f"/works/{work.pk}").status_code == 302
    assert terms_to_accept(bob) is not None


@pytest.mark.parametrize(
    "path", ["/tos", "/tos/versions", "/privacy", "/content", "/faq", "/about", "/users/logout"]
)
def test_the_rules_pages_and_log_out_stay_open(bob_client, path):
    _new_terms()
    assert bob_client.get(path).status_code == 200


def test_json_clients_and_guests_are_not_redirected(bob_client, client, work):
    _new_terms()
    json = bob_client.get(f"/works/{work.pk}", headers={"accept": "application/json"})
    assert json.status_code != 302
    assert client.get(f"/works/{work.pk}").status_code == 200


def test_a_stale_accept_form_does_not_accept_a_newer_version(bob, bob_client):
    old = _new_terms()
    _new_terms()
    bob_client.post("/tos/accept", {"version": old.pk})
    assert not TermsAcceptance.objects.filter(user=bob).exists()
    assert bob_client.get("/").status_code == 302


def test_an_up_to_date_user_costs_no_query(bob, bob_client, work, settings):
    _new_terms()
    do_accept_terms(bob)
    path = f"/works/{work.pk}"
    assert bob_client.get(path).status_code == 200  # the session learns the number here
    assert bob_client.session[TERMS_SESSION_KEY] >= 2
    with CaptureQueriesContext(connection) as checked:
        assert bob_client.get(path).status_code == 200
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("TermsAcceptanceMiddleware")
    ]
    with CaptureQueriesContext(connection) as unchecked:
        assert bob_client.get(path).status_code == 200
    assert len(checked) == len(unchecked)


@pytest.mark.parametrize("return_to", ["18446744073709551616", "home", "https://evil.example/"])
def test_a_strange_return_to_goes_home(bob_client, return_to):
    response = bob_client.get("/tos/accept", {"return_to": return_to})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_form_sent_as_the_terms_change_is_kept_and_the_next_page_asks(bob, bob_client, work):
    # Text typed before the new terms arrived is not lost: the post goes through, and the
    # page it leads to asks for the acceptance.
    _new_terms()
    response = bob_client.post(
        f"/works/{work.pk}/comments",
        {"comment[comment_content]": "Typed before the terms changed."},
    )
    assert response.status_code == 302
    assert work.comments.filter(content__contains="Typed before the terms changed.").exists()
    assert bob_client.get(response["Location"])["Location"].startswith("/tos/accept")
