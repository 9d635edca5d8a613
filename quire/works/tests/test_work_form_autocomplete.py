"""The posting form's tag suggestions in a real Chromium: an ARIA combobox on each tag field,
driven by the keyboard, narrowed to the typed fandoms; the form still posts the typed text."""

import pytest
from playwright.sync_api import expect

from quire.tags.actions import do_add_parent, do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.testing import TEST_PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def canonical(name: str, tag_type: TagType):
    (tag,) = do_find_or_create_tags([name], tag_type)
    return do_set_canonical(tag, True)


def test_tag_fields_suggest_tags_and_the_keyboard_picks_one(open_page, http_errors):
    make_user("alice")
    sherlock = canonical("Sherlock (TV)", TagType.FANDOM)
    elementary = canonical("Elementary (TV)", TagType.FANDOM)
    do_add_parent(canonical("John Watson (Sherlock)", TagType.CHARACTER), sherlock)
    do_add_parent(canonical("Joan Watson", TagType.CHARACTER), elementary)

    page = open_page()
    page.goto("/users/login")
    page.fill("#user_login", "alice")
    page.fill("#user_password", TEST_PASSWORD)
    page.click("form#new_user [type=submit]")
    page.goto("/works/new")

    fandoms = page.locator("#id_fandoms")
    expect(fandoms).to_have_attribute("role", "combobox")
    expect(fandoms).to_have_attribute("aria-expanded", "false")
    fandoms.press_sequentially("sher")
    listbox = page.locator("#id_fandoms_suggestions")
    expect(listbox.get_by_role("option")).to_have_text(["Sherlock (TV)"])
    expect(fandoms).to_have_attribute("aria-expanded", "true")
    fandoms.press("ArrowDown")
    expect(fandoms).to_have_attribute("aria-activedescendant", "id_fandoms_suggestions_0")
    fandoms.press("Enter")
    expect(fandoms).to_have_value("Sherlock (TV), ")
    expect(listbox).to_be_hidden()

    # Characters are narrowed to the fandom typed above.
    characters = page.locator("#id_characters")
    characters.press_sequentially("watson")
    options = page.locator("#id_characters_suggestions").get_by_role("option")
    expect(options).to_have_text(["John Watson (Sherlock)"])
    characters.press("Escape")
    expect(page.locator("#id_characters_suggestions")).to_be_hidden()
    expect(characters).to_have_value("watson")
    assert http_errors == []
