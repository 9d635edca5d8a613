"""Invitation-only sign-up end to end in a real browser: a visitor asks, staff release the
queue, the mailed link signs them up, and they are logged in once the address is confirmed."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from quire.accounts.tests.browser_helpers import enable_totp, log_in
from quire.pages.actions import do_update_site_settings
from quire.pages.models import SignupMode
from quire.pages.queries import forget_site_settings
from quire.testing import TEST_PASSWORD, make_user
from quire.testing_browser import visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_request_release_link_sign_up_confirm(open_page, http_errors, settings):
    settings.SPAM_MIN_FORM_SECONDS = 0
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    forget_site_settings()
    do_update_site_settings(signups=SignupMode.INVITATION)
    staff = make_user("staffer", is_staff=True, is_superuser=True)
    enable_totp(staff)

    visitor = open_page()
    visit(visitor, "/signup")
    visitor.get_by_role("link", name="join the invitation queue").click()
    form = visitor.locator("form#new_invite_request")
    form.locator("input[name=email]").fill("lizzy@example.org")
    form.get_by_role("button", name="Add me to the list").click()
    expect(visitor.locator("#queue_position")).to_contain_text("number 1")

    admin = open_page()
    log_in(admin, staff)
    visit(admin, "/staff/invitations")
    release = admin.locator("form#release_invitations")
    release.locator("input[name=count]").fill("1")
    release.get_by_role("button", name="Release invitations now").click()
    expect(admin.locator(".flash")).to_contain_text("Released 1 invitations")

    body = str(mail.outbox[-1].body)
    link = re.search(r"https?://[^/\s]+(/signup/\S+)", body).group(1)
    visit(visitor, link)
    form = visitor.locator("form#signup_form")
    expect(form.locator("input[name=email]")).to_have_value("lizzy@example.org")
    form.locator("input[name=username]").fill("lizzy_bennet")
    form.locator("input[name=password1]").fill(TEST_PASSWORD)
    form.locator("input[name=password2]").fill(TEST_PASSWORD)
    form.locator("input[name=terms]").check()
    form.locator("input[name=age]").check()
    form.get_by_role("button", name="Create Account").click()
    expect(visitor.locator("#main")).to_contain_text("lizzy@example.org")

    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", str(mail.outbox[-1].body))
    visit(visitor, confirm.group(1))
    visitor.locator("#main form").get_by_role("button").first.click()
    expect(visitor.locator("body.logged-in")).to_have_count(1)
    assert http_errors == []
    forget_site_settings()
