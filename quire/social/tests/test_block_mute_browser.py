"""End to end in a real Chromium, two people at once: alice blocks bob from his page, and
bob finds no kudos button on her work and his post refused; bob mutes carol and her work
leaves his /works; bob bookmarks alice's series and finds it on his bookmarks page."""

import re

import pytest
from playwright.sync_api import expect

from quire.testing import make_user, make_work
from quire.testing_browser import log_in, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_readers_block_mute_and_bookmark_a_series(open_page, http_errors):
    alice, _, carol = make_user("alice"), make_user("bob"), make_user("carol")
    work = make_work(author=alice, title="Alice's Garden", new_series_title="Garden Cycle")
    series = work.series.get()
    make_work(author=carol, title="Carol's Kitchen")

    alice_page, bob_page = open_page(), open_page()
    log_in(alice_page, "alice")
    log_in(bob_page, "bob")

    # Alice blocks bob from his page, through the confirmation page.
    visit(alice_page, "/users/bob")
    alice_page.locator("li.block a", has_text="Block").click()
    expect(alice_page.locator("h2.heading")).to_have_text("Block bob?")
    alice_page.get_by_role("button", name="Yes, Block User").click()
    expect(alice_page).to_have_url(re.compile(r"/users/alice/blocked/users$"))
    expect(alice_page.locator("ul.blocked.users li.user")).to_contain_text("bob")

    # Bob finds no kudos button on her work, and a post of his own is refused.
    visit(bob_page, f"/works/{work.pk}")
    expect(bob_page.locator("h2.title")).to_contain_text("Alice's Garden")
    expect(bob_page.locator("form#new_kudo")).to_have_count(0)
    token = bob_page.request.get("/token_dispenser.json").json()["token"]
    refused = bob_page.request.post(
        f"/works/{work.pk}/kudos",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert refused.status == 422
    assert "blocked" in refused.json()["message"]

    # Bob mutes carol; her work leaves his /works.
    visit(bob_page, "/works")
    expect(bob_page.locator("ol.work.index.group > li.blurb")).to_have_count(2)
    visit(bob_page, "/users/carol")
    bob_page.locator("li.mute a", has_text="Mute").click()
    expect(bob_page.locator("h2.heading")).to_have_text("Mute carol?")
    bob_page.get_by_role("button", name="Yes, Mute User").click()
    expect(bob_page.locator("ul.muted.users li.user")).to_contain_text("carol")
    visit(bob_page, "/works")
    blurbs = bob_page.locator("ol.work.index.group > li.blurb")
    expect(blurbs).to_have_count(1)
    expect(blurbs.first.locator("h4.heading a").first).to_have_text("Alice's Garden")

    # Bob bookmarks alice's series and finds it on his bookmarks page.
    visit(bob_page, f"/series/{series.pk}")
    bob_page.locator("li.bookmark a", has_text="Bookmark Series").click()
    bob_page.get_by_label("Notes").fill("A calm one.")
    bob_page.get_by_role("button", name="Create").click()
    expect(bob_page).to_have_url(re.compile(r"/users/bob/bookmarks$"))
    blurb = bob_page.locator("li.bookmark.blurb.group")
    expect(blurb).to_have_count(1)
    expect(blurb.locator("h4.heading")).to_have_text("Garden Cycle by alice")
    expect(blurb.locator("dd.works")).to_have_text("1")
    expect(blurb.locator("blockquote.notes")).to_contain_text("A calm one.")
    # (The refused post went through the API request context, which pages don't record.)
    assert http_errors == []
