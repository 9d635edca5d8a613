"""Staff sign in with their authenticator app's code in a real browser, and reach a staff
page; without the code they are asked to log in again."""

import pytest
from playwright.sync_api import expect

from quire.accounts.tests.browser_helpers import enable_totp, log_in
from quire.testing import make_user
from quire.testing_browser import visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_sign_in_with_totp_and_reach_a_staff_page(open_page, http_errors):
    staff = make_user("staffer", is_staff=True, is_superuser=True)
    enable_totp(staff)
    page = open_page()
    # Straight to a staff page: sent to log in, then asked for the code, then back.
    visit(page, "/staff/invitations")
    expect(page.locator("form#new_user")).to_have_count(1)
    log_in(page, staff)
    visit(page, "/staff/invitations")
    expect(page.locator("#main h2.heading")).to_have_text("Invitations")
    assert http_errors == []
