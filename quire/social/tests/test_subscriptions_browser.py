"""End to end in a real Chromium, two people at once: bob subscribes to alice's work, alice
posts a chapter, the batch runs, bob's mail and inbox update arrive (he marks it read), and
bob unsubscribes."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from quire.social.actions.notifications import send_notifications
from quire.social.models import Subscription, SubscriptionNotice
from quire.testing import make_user, make_work
from quire.testing_browser import log_in, visit

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data (see quire/works/tests/test_browser.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def flash(page: Page, text: str) -> None:
    expect(page.locator("#main > .flash").filter(has_text=text)).to_be_visible()


def test_a_reader_subscribes_hears_of_a_new_chapter_and_unsubscribes(open_page, http_errors):
    alice, bob = make_user("alice"), make_user("bob")
    work = make_work(author=alice, title="Letters From Pemberley", expected_chapters=2)

    reader = open_page()
    log_in(reader, "bob")
    visit(reader, f"/works/{work.pk}")
    actions = reader.locator("ul.work.navigation.actions")
    actions.get_by_role("button", name="Subscribe", exact=True).click()
    flash(reader, "You are now following Letters From Pemberley.")
    expect(reader).to_have_url(re.compile(rf"/works/{work.pk}$"))
    expect(actions.get_by_role("button", name="Unsubscribe", exact=True)).to_be_visible()

    writer = open_page()
    log_in(writer, "alice")
    visit(writer, f"/works/{work.pk}")
    writer.locator("ul.work.navigation.actions").get_by_role("link", name="Add Chapter").click()
    form = writer.locator("form#chapter-form")
    form.locator("#id_chapter_title").fill("The Answer")
    form.locator("#id_content").fill("Her answer went north by the morning coach, sealed twice.")
    form.get_by_role("button", name="Post", exact=True).click()
    flash(writer, "Chapter was successfully posted.")

    # The hourly task, run now (tests use the immediate backend).
    mail.outbox = []
    send_notifications.enqueue()
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert message.subject == "[Quire] alice posted Chapter 2: The Answer of Letters From Pemberley"
    notice = SubscriptionNotice.objects.get(user=bob)
    assert notice.delivered_at is not None
    assert notice.emailed_at is not None
    assert not SubscriptionNotice.objects.filter(user=alice).exists()

    visit(reader, "/users/bob/inbox")
    expect(reader.locator("#inbox-link")).to_have_text("Inbox (1)")
    update = reader.locator("li.update.unread")
    expect(update.locator("h4 a")).to_have_text(
        "alice posted Chapter 2: The Answer of Letters From Pemberley"
    )
    update.get_by_label("Select").check()
    reader.locator("#inbox-form").get_by_role("button", name="Mark Read").click()
    flash(reader, "Inbox successfully updated.")
    expect(reader.locator("li.update.read")).to_have_count(1)
    expect(reader.locator("#inbox-link")).to_have_text("Inbox")

    visit(reader, "/users/bob/subscriptions")
    listing = reader.locator("dl.subscription.index")
    expect(listing.locator("dt")).to_have_text("Letters From Pemberley by alice")
    listing.get_by_role("button", name="Unsubscribe from Letters From Pemberley").click()
    flash(reader, "You have successfully unsubscribed.")
    expect(reader.locator("dl.subscription.index dt.empty")).to_have_text(
        "You have no subscriptions."
    )
    assert not Subscription.objects.filter(user=bob).exists()

    # Someone else's list does not exist for alice.
    response = writer.goto("/users/bob/subscriptions")
    assert response is not None and response.status == 404
    http_errors.remove(f"404 {response.url}")
    assert http_errors == []
