"""Two-factor sign-in (allauth.mfa, TOTP and recovery codes) and the staff pages' demand for
it (accounts/permissions.py staff_mfa_required), with codes computed by allauth's own TOTP
functions."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user
from django.http import HttpResponse
from django.test import RequestFactory

from quire.accounts.permissions import staff_mfa_ok, staff_mfa_required
from quire.accounts.tests.browser_helpers import (
    client_log_in,
    enable_totp,
    totp_code,
    totp_secret,
)
from quire.testing import TEST_PASSWORD, make_user, parse, text_of

pytestmark = pytest.mark.django_db

STAFF_PAGE = "/staff/invitations"


@pytest.fixture
def staff(db):
    return make_user("staffer", is_staff=True, is_superuser=True)


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_user_with_totp_needs_the_code_to_log_in(client, alice):
    secret = enable_totp(alice)
    # Password alone: not logged in yet, sent to the code page, which is in the layout.
    response = client.post(
        "/users/login", {"user[login]": "alice", "user[password]": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert logged_in_as(client) is None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert parse(page).xpath("//header[@id='header']")
    assert parse(page).xpath("//form[@id='mfa_authenticate']//input[@name='code']")
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and logged_in_as(client) is None
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert int(logged_in_as(client)) == alice.pk


def test_anyone_can_turn_on_totp_through_the_set_up_page(client, alice):
    alice_client = client
    client_log_in(alice_client, alice)
    # Setting it up asks for the password again first (allauth's re-authentication page).
    asked = alice_client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert parse(alice_client.get(asked["Location"])).xpath("//header[@id='header']")
    alice_client.post(asked["Location"], {"password": TEST_PASSWORD})
    page = alice_client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    doc = parse(page)
    assert doc.xpath("//header[@id='header']")
    secret = doc.xpath("//input[@id='authenticator_secret']/@value")[0]
    response = alice_client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert totp_secret(alice) == secret
    # Recovery codes come with it: shown once, with a download of them.
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes_page = parse(alice_client.get(response["Location"]))
    codes = codes_page.xpath("//textarea[@id='recovery_codes']/text()")[0].split()
    assert len(codes) == 10
    download = codes_page.xpath("//a[@id='download_recovery_codes']")[0]
    assert download.get("download") == "recovery-codes.txt"
    assert download.get("href").startswith("data:text/plain")
    assert codes[0] in download.get("href")
    again = parse(alice_client.get("/accounts/2fa/recovery-codes/"))
    assert not again.xpath("//textarea[@id='recovery_codes']")
    assert codes[0] not in text_of(again)
    assert again.xpath("//a[@href='/accounts/2fa/recovery-codes/generate/']")


def test_staff_mfa_ok_needs_staff_totp_and_this_sessions_second_factor(client, staff, alice):
    secret = enable_totp(staff)
    enable_totp(alice)
    rf = RequestFactory()

    def ok(c) -> bool:
        request = rf.get("/")
        request.session = c.session
        request.user = get_user(request)
        return staff_mfa_ok(request)

    assert not ok(client)
    client_log_in(client, staff)
    assert ok(client)
    # A non-staff account that passed its second factor is still not staff.
    other = type(client)()
    client_log_in(other, alice)
    assert not ok(other)
    # Staff logged in some other way (here: straight in, no code) are not OK.
    plain = type(client)()
    plain.force_login(staff)
    assert not ok(plain)
    assert secret


def _wrapped_view():
    return staff_mfa_required(lambda request: HttpResponse("the staff page"))


def test_a_guest_is_sent_to_log_in(client):
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=/staff/invitations")


def test_staff_without_totp_are_sent_to_set_it_up(client, staff):
    client.force_login(staff)
    response = client.get(STAFF_PAGE, follow=True)
    assert response.redirect_chain[0][0] == "/accounts/2fa/totp/activate/"
    assert "Staff pages need two-factor sign-in" in text_of(parse(response))


def test_staff_logged_in_without_the_code_must_log_in_again(client, staff):
    enable_totp(staff)
    client.force_login(staff)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=/staff/invitations")
    assert logged_in_as(client) is None
    page = client.get(response["Location"])
    assert "log in again" in text_of(parse(page))


def test_staff_who_passed_the_code_see_the_page(client, staff):
    enable_totp(staff)
    client_log_in(client, staff)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 200
    assert parse(response).xpath("//header[@id='header']")


def test_a_recovery_code_stands_in_for_a_lost_phone(client, staff):
    enable_totp(staff)
    codes = RecoveryCodes.activate(staff).generate_codes()
    client.post("/users/login", {"user[login]": "staffer", "user[password]": TEST_PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert int(logged_in_as(client)) == staff.pk
    assert client.get(STAFF_PAGE).status_code == 200


def test_non_staff_pass_through_to_the_pages_own_check(alice_client):
    assert alice_client.get(STAFF_PAGE).status_code == 404
