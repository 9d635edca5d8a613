"""End to end in a real Chromium: what a reader gives back to alice's work. bob leaves kudos
in place (kudos.js), a guest without JavaScript leaves them through the plain form, bob
bookmarks the work with notes and his own tags, and finds it in his history and, marked, in
Marked for Later; alice sees all of it from her side."""

import pytest
from playwright.sync_api import expect

from quire.testing import make_user, make_work
from quire.testing_browser import log_in, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTES = "Read it twice; the ending is perfect."


def test_kudos_bookmarks_and_history_between_two_readers(open_page, http_errors):
    alice_user = make_user("alice")
    make_user("bob")
    work = make_work(author=alice_user, title="Letters Across the Lake")
    path = f"/works/{work.pk}"

    # bob, with JavaScript: kudos update in place, no page load.
    bob = open_page()
    log_in(bob, "bob")
    visit(bob, path)
    url_before = bob.url
    bob.locator("#new_kudo input[type=submit]").click()
    expect(bob.locator("#kudos p.kudos")).to_contain_text("bob left kudos on this work!")
    expect(bob.locator("#kudos_message")).to_be_visible()
    assert bob.url == url_before
    bob.locator("#new_kudo input[type=submit]").click()
    expect(bob.locator("#kudos_message")).to_contain_text("already left kudos")

    # A guest without JavaScript: their cached page has no CSRF token, so the first post
    # lands on a page that has one; its button leaves the kudos and returns to the work.
    guest = open_page(java_script_enabled=False)
    visit(guest, path)
    guest.locator("#new_kudo input[type=submit]").click()
    expect(guest.locator("main, #main").first).to_contain_text("press the button once more")
    guest.locator("#new_kudo input[type=submit]").click()
    expect(guest.locator("#kudos p.kudos")).to_contain_text("bob as well as 1 guest")

    # bob bookmarks it with notes and his own tags, then marks it for later.
    bob.locator("li.bookmark a").click()
    form = bob.locator("form#bookmark-form")
    form.locator("textarea[name=notes]").fill(NOTES)
    form.locator("input[name=tags]").fill("letters, winter")
    form.locator("input[name=rec]").check()
    form.get_by_role("button", name="Create").click()
    expect(bob.locator("#main > .flash")).to_contain_text("Bookmark")
    visit(bob, path)
    bob.get_by_role("button", name="Mark for Later").click()
    visit(bob, "/users/bob/readings")
    expect(bob.locator("#main")).to_contain_text("Letters Across the Lake")
    visit(bob, "/users/bob/readings?show=to-read")
    expect(bob.locator("#main")).to_contain_text("Letters Across the Lake")

    # alice sees bob's kudos and his public bookmark with its notes and tags.
    alice = open_page()
    log_in(alice, "alice")
    visit(alice, path)
    expect(alice.locator("#kudos p.kudos")).to_contain_text("bob as well as 1 guest")
    visit(alice, f"/works/{work.pk}/bookmarks")
    bookmark = alice.locator("li.bookmark").filter(has_text=NOTES)
    expect(bookmark).to_contain_text("bob")
    expect(bookmark).to_contain_text("winter")
    assert not alice.locator("#new_kudo").count(), "no kudos button on one's own work"
    # bob's second kudos (422) and the guest's tokenless post (403) are the only refusals.
    assert sorted(error.split()[0] for error in http_errors) == ["403", "422"], http_errors
