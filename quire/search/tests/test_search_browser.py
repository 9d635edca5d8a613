"""End to end in a real Chromium: a visitor ticks an exclude box in a tag listing's Sort and
Filter sidebar, submits and sees fewer works, then finds a work with the advanced search."""

import re

import pytest
from playwright.sync_api import expect

from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.testing import make_user, make_work
from quire.testing_browser import visit

pytestmark = [
    pytest.mark.browser,
    # As quire/works/tests/test_browser.py: live_server needs committed data, and the flush
    # must restore the tag sets and languages the migrations seed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_URL = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"


@pytest.fixture
def small_archive():
    alice = make_user("alice")
    for name, tag_type in ((FANDOM, TagType.FANDOM), ("Jane Bennet", TagType.CHARACTER)):
        do_set_canonical(do_find_or_create_tags([name], tag_type)[0], True)
    make_work(author=alice, title="Morning Letters")
    make_work(author=alice, title="Evening Walk", characters=("Jane Bennet",))
    make_work(author=alice, title="Rainy Afternoon", characters=("Jane Bennet",))


def test_filtering_a_listing_and_searching(small_archive, open_page, http_errors):
    page = open_page()
    visit(page, FANDOM_URL)
    blurbs = page.locator("ol.work.index.group > li.blurb")
    expect(blurbs).to_have_count(3)
    sidebar = page.locator("form#work-filters")
    sidebar.locator("dd.exclude").get_by_label(re.compile(r"^Jane Bennet \(2\)")).check()
    sidebar.get_by_role("button", name="Sort and Filter").click()
    expect(page).to_have_url(re.compile(r"exclude_work_search%5Bcharacter_ids%5D%5B%5D=\d+"))
    expect(blurbs).to_have_count(1)
    expect(blurbs.first.locator("h4.heading a").first).to_have_text("Morning Letters")
    expect(page.locator("#main > h2.heading")).to_contain_text("1 Work in")
    expect(sidebar.locator("dd.exclude").get_by_label(re.compile(r"^Jane Bennet"))).to_be_checked()

    visit(page, "/works/search")
    form = page.locator("form#work_search_form")
    form.get_by_label("Title").fill("walk")
    form.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/works/search\?.*work_search%5Btitle%5D=walk"))
    expect(page.locator("#main > h2.heading")).to_have_text("1 Work found")
    expect(blurbs).to_have_count(1)
    expect(blurbs.first.locator("h4.heading a").first).to_have_text("Evening Walk")
    assert http_errors == []
