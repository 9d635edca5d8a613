"""End to end in a real Chromium: a writer signs up and posts a two-chapter work, a reader
logs in the way AO3's tools do and reads it, and guests meet the adult gate and the
registered-users-only door."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from quire.testing import TEST_PASSWORD, make_user
from quire.testing_browser import visit

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; the flush after the test would also wipe the tag sets
    # and languages the migrations seed, so they are restored for whatever runs next.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = "/tmp/quire-e2e.png"  # noqa: S108 - a file for a person to look at, not a secret

TITLE = "Letters From Pemberley"
CHAPTER_1 = "The rain had stopped by the time the first letter came to Longbourn."
CHAPTER_2 = "Her answer went north by the morning coach, sealed twice."
# (dd class, link texts, hrefs) in AO3's order of tag types (AO3.md §1, §9).
TAGS = [
    ("rating", ["Teen And Up Audiences"], ["/tags/Teen%20And%20Up%20Audiences/works"]),
    ("warning", ["No Archive Warnings Apply"], ["/tags/No%20Archive%20Warnings%20Apply/works"]),
    ("category", ["F/M"], ["/tags/F*s*M/works"]),
    (
        "fandom",
        ["Pride and Prejudice - Jane Austen"],
        ["/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"],
    ),
    (
        "relationship",
        ["Elizabeth Bennet/Fitzwilliam Darcy"],
        ["/tags/Elizabeth%20Bennet*s*Fitzwilliam%20Darcy/works"],
    ),
    (
        "character",
        ["Elizabeth Bennet", "Fitzwilliam Darcy"],
        ["/tags/Elizabeth%20Bennet/works", "/tags/Fitzwilliam%20Darcy/works"],
    ),
    (
        "freeform",
        ["Epistolary", "Slow Burn"],
        ["/tags/Epistolary/works", "/tags/Slow%20Burn/works"],
    ),
]


def sign_up(page: Page, username: str) -> None:
    visit(page, "/signup")
    form = page.locator("form#signup_form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=email]").fill(f"{username}@example.org")
    form.locator("input[name=password1]").fill(TEST_PASSWORD)
    form.locator("input[name=password2]").fill(TEST_PASSWORD)
    form.locator("input[name=terms]").check()
    form.locator("input[name=age]").check()
    form.get_by_role("button", name="Create Account").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blogged-in\b"))


def log_in(page: Page, login: str) -> None:
    """Fill /users/login's AO3 form (form#new_user, user[login], user[password])."""
    form = page.locator("form#new_user")
    form.locator("input[name='user[login]']").fill(login)
    form.locator("input[name='user[password]']").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Log In").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blogged-in\b"))


def flash(page: Page, text: str) -> None:
    expect(page.locator("#main > .flash").filter(has_text=text)).to_be_visible()


def post_work(page: Page) -> int:
    visit(page, "/works/new")
    form = page.locator("form#work-form")
    form.locator("#id_rating").select_option(label="Teen And Up Audiences")
    form.get_by_label("No Archive Warnings Apply", exact=True).check()
    form.get_by_label("F/M", exact=True).check()
    form.locator("#id_fandoms").fill("Pride and Prejudice - Jane Austen")
    form.locator("#id_relationships").fill("Elizabeth Bennet/Fitzwilliam Darcy")
    form.locator("#id_characters").fill("Elizabeth Bennet, Fitzwilliam Darcy")
    form.locator("#id_freeforms").fill("Epistolary, Slow Burn")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_summary").fill("Two letters, one answer.")
    form.locator("#id_expected_chapters").fill("2")
    form.locator("#id_chapter_title").fill("The First Letter")
    form.locator("#id_content").fill(CHAPTER_1)
    form.get_by_role("button", name="Post", exact=True).click()

    flash(page, "Work was successfully posted.")
    expect(page).to_have_url(re.compile(r"/works/\d+$"))
    work_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#workskin h2.title.heading")).to_have_text(TITLE)
    expect(page.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)
    expect(page.locator("dl.stats dd.chapters")).to_have_text("1/2")
    return work_id


def add_chapter(page: Page, work_id: int) -> None:
    page.locator("ul.work.navigation.actions").get_by_role("link", name="Add Chapter").click()
    expect(page).to_have_url(re.compile(rf"/works/{work_id}/chapters/new$"))
    form = page.locator("form#chapter-form")
    form.locator("#id_chapter_title").fill("The Answer")
    form.locator("#id_content").fill(CHAPTER_2)
    form.get_by_role("button", name="Post", exact=True).click()

    flash(page, "Chapter was successfully posted.")
    expect(page).to_have_url(re.compile(rf"/works/{work_id}/chapters/\d+$"))
    expect(page.locator("#chapter-2 .userstuff.module")).to_contain_text(CHAPTER_2)
    expect(page.locator("dl.stats dd.chapters")).to_have_text("2/2")


def edit_work(page: Page, work_id: int, change: Callable[[Locator], object]) -> None:
    visit(page, f"/works/{work_id}/edit")
    change(page.locator("form#work-form"))
    page.locator("form#work-form").get_by_role("button", name="Update", exact=True).click()
    flash(page, "Work updated.")


def read_as_reader(page: Page, work_id: int) -> None:
    # A chaptered work opens on its first chapter.
    visit(page, f"/works/{work_id}")
    expect(page).to_have_url(re.compile(rf"/works/{work_id}/chapters/\d+$"))
    expect(page.locator("#main")).to_have_class("chapters-show region")
    chapters = page.locator("#chapters > div.chapter")
    expect(chapters).to_have_count(1)
    expect(page.locator("#chapter-1 h3.title")).to_have_text("Chapter 1: The First Letter")
    expect(page.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)
    expect(page.locator("#chapters")).not_to_contain_text(CHAPTER_2)
    expect(page.locator("h3.byline.heading a[rel=author]")).to_have_text("alice_writes")

    meta = page.locator("dl.work.meta.group")
    expect(meta.locator("> dd.tags")).to_have_class([f"{css} tags" for css, _, _ in TAGS])
    for css, names, hrefs in TAGS:
        links = meta.locator(f"> dd.{css}.tags ul.commas > li > a.tag")
        expect(links).to_have_text(names)
        assert [links.nth(i).get_attribute("href") for i in range(len(hrefs))] == hrefs
    expect(meta.locator("dd.language")).to_have_attribute("lang", "en")
    expect(meta.locator("dl.stats dd.chapters")).to_have_text("2/2")

    # Next chapter, then back, then the whole work on one page.
    nav = page.locator("ul.work.navigation.actions").first
    expect(nav.locator("li.chapter.previous")).to_have_count(0)
    nav.get_by_role("link", name="Next Chapter →").click()
    expect(page.locator("#chapter-2 h3.title")).to_have_text("Chapter 2: The Answer")
    expect(page.locator("#chapter-2 .userstuff.module")).to_contain_text(CHAPTER_2)
    expect(page.locator("#chapters")).not_to_contain_text(CHAPTER_1)
    expect(nav.locator("li.chapter.next")).to_have_count(0)
    nav.get_by_role("link", name="← Previous Chapter").click()
    expect(page.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)

    nav.get_by_role("link", name="Entire Work").click()
    expect(page).to_have_url(re.compile(rf"/works/{work_id}\?view_full_work=true$"))
    expect(page.locator("#main")).to_have_class("works-show region")
    expect(chapters).to_have_count(2)
    expect(page.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)
    expect(page.locator("#chapter-2 .userstuff.module")).to_contain_text(CHAPTER_2)

    # A tag link leads to a listing of the tag's works, this one among them.
    meta.locator("dd.fandom.tags a.tag").click()
    expect(page.locator(f"li#work_{work_id} h4.heading a").first).to_have_text(TITLE)


def test_a_posted_chaptered_work_reads_right_for_readers_and_guests(
    open_page, http_errors, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"  # signs up and writes at once
    settings.SPAM_MIN_FORM_SECONDS = 0  # a script fills the sign-up form faster than a person
    alice = open_page()
    sign_up(alice, "alice_writes")
    work_id = post_work(alice)
    add_chapter(alice, work_id)

    bob = open_page()
    make_user("bob_reads")
    visit(bob, "/users/login")
    log_in(bob, "bob_reads")
    read_as_reader(bob, work_id)

    # A guest reads a Teen work straight away.
    guest = open_page()
    visit(guest, f"/works/{work_id}")
    expect(guest.locator("body")).to_have_class(re.compile(r"\blogged-out\b"))
    expect(guest.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)

    # Rated Mature, the work is behind the adult gate for a guest; "Yes, Continue" opens it.
    edit_work(alice, work_id, lambda form: form.locator("#id_rating").select_option("Mature"))
    guest = open_page()
    visit(guest, f"/works/{work_id}")
    expect(guest.get_by_text("This work could have adult content.")).to_be_visible()
    expect(guest.locator("#chapters")).to_have_count(0)
    guest.get_by_role("link", name="Yes, Continue").click()
    expect(guest.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)

    # Restricted, the work sends a guest to log in; logging in there returns to the work.
    edit_work(alice, work_id, lambda form: form.locator("#id_restricted").check())
    guest = open_page()
    visit(guest, f"/works/{work_id}")
    expect(guest).to_have_url(re.compile(r"/users/login\?restricted=true&return_to="))
    expect(guest.locator("#main .flash")).to_contain_text(
        "This work is only available to registered users of the Archive"
    )
    expect(guest.locator("#chapters")).to_have_count(0)
    log_in(guest, "bob_reads")
    expect(guest).to_have_url(re.compile(rf"/works/{work_id}$"))
    # Still rated Mature, and this session has not passed the gate yet.
    guest.get_by_role("link", name="Yes, Continue").click()
    expect(guest).to_have_url(re.compile(rf"/works/{work_id}/chapters/\d+\?view_adult=true$"))
    expect(guest.locator("#chapter-1 .userstuff.module")).to_contain_text(CHAPTER_1)
    expect(guest.locator("h2.title.heading img[alt='(Restricted)']")).to_be_visible()

    guest.get_by_role("link", name="Entire Work").first.click()
    expect(guest.locator("#chapters > div.chapter")).to_have_count(2)
    guest.screenshot(path=SCREENSHOT, full_page=True)
    assert http_errors == []
