"""End to end in a real Chromium, two people at once: alice posts a work, bob comments on it,
alice finds the comment in her inbox (the header counts it), replies from there, and bob sees
the reply nested under his comment."""

import re

import pytest
from playwright.sync_api import Page, expect

from quire.testing import make_user
from quire.testing_browser import log_in, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Letters Across the Lake"
COMMENT = "The second letter made me laugh out loud on the bus."
REPLY = "Thank you! The third one is even sillier."


def post_work(page: Page) -> int:
    visit(page, "/works/new")
    form = page.locator("form#work-form")
    form.locator("#id_rating").select_option(label="General Audiences")
    form.get_by_label("No Archive Warnings Apply", exact=True).check()
    form.locator("#id_fandoms").fill("Pride and Prejudice - Jane Austen")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_content").fill("Dear Jane, the lake is frozen and so is the post.")
    form.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("#main > .flash")).to_contain_text("Work was successfully posted.")
    return int(re.search(r"/works/(\d+)", page.url).group(1))


def test_a_comment_reaches_the_creators_inbox_and_the_reply_comes_back(
    open_page, http_errors, settings
):
    settings.COMMENT_NEW_ACCOUNT_DAYS = 0
    make_user("alice")
    make_user("bob")
    alice = open_page()
    log_in(alice, "alice")
    work_id = post_work(alice)
    expect(alice.locator("#inbox-link")).to_have_text("Inbox")

    bob = open_page()
    log_in(bob, "bob")
    visit(bob, f"/works/{work_id}")
    form = bob.locator("#add_comment form.new_comment")
    form.locator("textarea[name='comment[comment_content]']").fill(COMMENT)
    form.get_by_role("button", name="Comment").click()
    expect(bob.locator("#main > .flash")).to_contain_text("Comment created!")
    mine = bob.locator("#comments_placeholder li.comment").filter(has_text=COMMENT)
    expect(mine.locator("h4.heading.byline")).to_contain_text("bob")
    comment_id = mine.get_attribute("id")

    # alice: the header counts the new comment; the inbox shows it; she replies from there.
    visit(alice, f"/works/{work_id}")
    expect(alice.locator("#inbox-link")).to_have_text("Inbox (1)")
    alice.locator("#inbox-link").click()
    item = alice.locator("li.unread.comment").filter(has_text=COMMENT)
    expect(item.locator("> h4.byline")).to_contain_text(f"bob commented on {TITLE}")
    item.locator("details.reply > summary").click()
    item.locator("textarea[name='comment[comment_content]']").fill(REPLY)
    item.get_by_role("button", name="Comment").click()
    expect(alice).to_have_url(re.compile(r"/users/alice/inbox$"))
    expect(alice.locator("#main > .flash")).to_contain_text("Comment created!")
    # Reading it is up to her: mark it read and the header's count goes.
    alice.locator("li.unread.comment input[type=checkbox]").check()
    alice.get_by_role("button", name="Mark Read").click()
    expect(alice.locator("#inbox-link")).to_have_text("Inbox")

    # bob: the reply sits nested under his comment, and his own inbox has it.
    visit(bob, f"/works/{work_id}")
    nested = bob.locator(f"#{comment_id} + li > ol.thread > li.comment")
    expect(nested).to_have_count(1)
    expect(nested.locator("blockquote.userstuff")).to_have_text(REPLY)
    expect(nested.locator("h4.heading.byline")).to_contain_text("alice")
    expect(bob.locator("#inbox-link")).to_have_text("Inbox (1)")
    assert http_errors == []
