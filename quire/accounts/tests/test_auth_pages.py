"""Every account page (allauth's, two-factor's, invitations') renders in the site's layout:
its header and navigation, AO3-like headings, never allauth's bare "Menu:" page."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.core.cache import caches

from quire.accounts.tests.browser_helpers import client_log_in, enable_totp, totp_code
from quire.testing import TEST_PASSWORD, make_user, parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits():
    caches["ratelimit"].clear()


def assert_in_layout(client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    doc = parse(response)
    assert doc.xpath("//*[@id='header']"), path
    assert doc.xpath("//div[@id='main']//h2[contains(@class,'heading')]"), path
    assert "Menu:" not in text_of(doc), path


def test_every_guest_account_page_is_in_the_layout(client, alice):
    key = default_token_generator.make_token(alice)
    uid = user_pk_to_url_str(alice)
    for path in (
        "/signup",
        "/users/login",
        "/users/password/new",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        f"/accounts/password/reset/key/{uid}-{key}/",
        "/accounts/password/reset/key/done/",
        "/invite_requests",
        "/invite_requests/status",
        "/invite_requests/status?email=someone@example.org",
    ):
        assert_in_layout(client, path)


def test_every_step_of_a_password_reset_works(client, alice):
    client.post("/users/password/new", {"email": "alice@example.org"})
    link = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", str(mail.outbox[-1].body)
    )
    form_page = client.get(link.group(1), follow=True)
    assert parse(form_page).xpath("//header[@id='header']")
    set_url = form_page.redirect_chain[-1][0]
    new = "a brand new password"
    response = client.post(set_url, {"password1": new, "password2": new}, follow=True)
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_every_logged_in_account_page_is_in_the_layout(client):
    user = make_user("lizzy")
    client_log_in(client, user)
    # Pages that change how one logs in ask for the password again first.
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    for path in (
        "/users/logout",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/reauthenticate/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/users/lizzy/invitations",
        "/users/lizzy",
        "/users/lizzy/preferences",
    ):
        assert_in_layout(client, path)
    secret = enable_totp(user)
    client.post("/accounts/2fa/recovery-codes/generate/", {})
    for path in (
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/reauthenticate/",
    ):
        assert_in_layout(client, path)
    assert secret and totp_code(secret)


def test_the_dashboard_and_preferences_link_the_account_pages(alice_client, bob_client):
    wanted = {"/accounts/password/change/", "/accounts/email/", "/accounts/2fa/"}
    wanted.add("/users/alice/invitations")
    for path in ("/users/alice", "/users/alice/preferences"):
        links = set(parse(alice_client.get(path)).xpath("//div[@id='main']//a/@href"))
        assert wanted <= links, path
    # Not on someone else's dashboard.
    links = set(parse(bob_client.get("/users/alice")).xpath("//div[@id='main']//a/@href"))
    assert not wanted & links


def test_changing_the_address_takes_effect_once_confirmed(client, alice):
    client_log_in(client, alice)
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert_in_layout(client, "/accounts/email/")
    assert mail.outbox[-1].to == ["new@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", str(mail.outbox[-1].body))
    assert_in_layout(client, link.group(1))
    client.post(link.group(1))
    alice.refresh_from_db()
    assert alice.email == "new@example.org"
