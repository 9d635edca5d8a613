"""Django's admin (/admin/) signs staff in through the site's own login, with the second
factor: its own password form is gone, so no path into the admin skips the TOTP code."""

import pytest
from django.test import Client

from quire.accounts.tests.browser_helpers import client_log_in, enable_totp
from quire.conftest import client_for
from quire.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_guest_is_sent_to_the_sites_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/users/login")


def test_the_admins_password_form_no_longer_signs_anyone_in(admin_user):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.username, "password": TEST_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_staff_without_the_second_factor_set_up_are_sent_to_set_it_up(admin_user):
    client = client_for(admin_user)
    response = client.get("/admin/", follow=True)
    # (allauth asks this password-only session to confirm the password first.)
    assert any(url.startswith("/accounts/2fa/totp/activate/") for url, _ in response.redirect_chain)


def test_staff_signed_in_with_a_password_only_must_sign_in_again(admin_user):
    enable_totp(admin_user)
    client = client_for(admin_user)  # a session that never passed the code
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/users/login")
    assert "_auth_user_id" not in client.session


def test_staff_signed_in_with_their_code_reach_the_admin(admin_user):
    enable_totp(admin_user)
    client = Client()
    client_log_in(client, admin_user)
    assert client.get("/admin/").status_code == 200
    # The login page sends them on to where they were going (on this site only).
    assert client.get("/admin/login/?next=/admin/works/work/")["Location"] == "/admin/works/work/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"


def test_a_reader_finds_no_admin(bob):
    assert client_for(bob).get("/admin/login/").status_code == 404
    assert client_for(bob).get("/admin/").status_code == 302
