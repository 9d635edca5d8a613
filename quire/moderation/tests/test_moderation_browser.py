"""End to end in a real Chromium, issue #12's path from report to action: a guest reports a
work; a Policy & Abuse staff member signs in with a TOTP code, finds the report in the queue,
opens it, hides the work and suspends its creator until a date with a reason; the guest now
gets a 404 for the work; the creator sees the work hidden and why, sees the suspension and
until when, and is refused a new work; once the date has passed they post again."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from quire.accounts.models import User
from quire.accounts.tests.browser_helpers import log_in as staff_log_in_with_code
from quire.testing import make_user, make_work
from quire.testing_browser import log_in, visit

from .conftest import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Every chapter links to a shop selling boots."


def staff_log_in(page: Page, login: str) -> None:
    """How a staff member logs in: with the code from their authenticator app."""
    staff_log_in_with_code(page, User.objects.get(username=login))


def post_work(page: Page, title: str) -> None:
    visit(page, "/works/new")
    form = page.locator("form#work-form")
    form.locator("#id_rating").select_option(label="General Audiences")
    form.get_by_label("No Archive Warnings Apply", exact=True).check()
    form.locator("#id_fandoms").fill("Pride and Prejudice - Jane Austen")
    form.locator("#id_title").fill(title)
    form.locator("#id_content").fill("Dear Jane, the lake is frozen and so is the post.")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("#main > .flash")).to_contain_text("Work was successfully posted.")


def test_a_report_leads_to_a_suspension_that_lifts_at_its_date(open_page, live_server, settings):
    settings.SPAM_MIN_FORM_SECONDS = 0
    alice = make_user("alice")
    make_staff("policy", "Policy & Abuse")
    work = make_work(author=alice, title="Boots for Sale")

    # A guest reports the work.
    guest = open_page()
    visit(guest, "/abuse_reports/new")
    form = guest.locator("form#new_abuse_report")
    form.locator("#id_url").fill(f"{live_server.url}/works/{work.pk}")
    form.locator("#id_category").select_option(value="spam")
    form.locator("#id_summary").fill("A shop, not a story")
    form.locator("#id_description").fill(REASON)
    form.locator("#id_email").fill("reader@example.org")
    form.get_by_role("button", name="Submit").click()
    expect(guest.locator("#report-sent")).to_contain_text("Your report was sent")

    # Staff find it in the queue, open it, and go to the creator's staff page.
    staff = open_page()
    staff_log_in(staff, "policy")
    visit(staff, "/staff/reports")
    staff.locator("#report-queue").get_by_role("link", name="A shop, not a story").click()
    expect(staff.locator("#report-target")).to_contain_text("Boots for Sale")
    report_page = staff.url
    # One click (and a reason) hides the work, from the report's page.
    hide = staff.locator(f"form[action='/staff/hide/work/{work.pk}']")
    hide.get_by_label("Reason (the creator is told)").fill("Advertising, not a story")
    hide.get_by_role("button", name="Hide work").click()
    expect(staff).to_have_url(report_page)
    expect(staff.locator(f"form[action='/staff/unhide/work/{work.pk}']")).to_have_count(1)
    staff.get_by_role("link", name="Staff page of alice").click()
    expect(staff).to_have_url(re.compile(r"/staff/users/alice$"))
    until = timezone.localdate() + timedelta(days=14)
    sanction = staff.locator("form#sanction-form")
    sanction.locator("#id_kind").select_option(value="suspension")
    sanction.locator("#id_until").fill(until.isoformat())
    sanction.locator("#id_reason").fill(REASON)
    sanction.get_by_role("button", name="Save").click()
    expect(staff.locator("#user-standing")).to_contain_text("Suspended until")
    expect(staff.locator("#user-log")).to_contain_text("user_suspend")

    # The guest who reported it now gets a 404.
    response = guest.goto(f"/works/{work.pk}")
    assert response is not None and response.status == 404

    # The creator sees why and until when, and cannot post a new work.
    creator = open_page()
    log_in(creator, "alice")
    visit(creator, f"/works/{work.pk}")
    expect(creator.locator("#main")).to_contain_text("Advertising, not a story")
    notice = creator.locator("#sanction-notice")
    expect(notice).to_contain_text("Your account is suspended until")
    expect(notice).to_contain_text(str(until.year))
    expect(notice).to_contain_text(REASON)
    response = creator.goto("/works/new")
    assert response is not None and response.status == 403
    expect(creator.locator("#refused")).to_contain_text("suspended until")
    expect(creator.locator("form#work-form")).to_have_count(0)

    # Once the date has passed, the suspension no longer applies: they post again.
    User.objects.filter(pk=alice.pk).update(suspended_until=timezone.now() - timedelta(minutes=1))
    post_work(creator, "Letters Across the Lake")
    expect(creator.locator("#sanction-notice")).to_have_count(0)
