"""The reader's blocklist: blocked tags (with their synonyms and subtags), creators (never
their anonymous works) and single works are left out of every listing, with a "hidden by
your blocklist" line and a way to see them this once; /users/<login>/blocklist is its
owner's alone."""

import pytest

from quire.search import actions
from quire.search.actions import BlocklistError, do_block_creator, do_block_tag, do_block_work
from quire.search.models import BlocklistEntry
from quire.tags.actions import (
    do_add_metatag,
    do_find_or_create_tags,
    do_make_synonym,
    do_set_canonical,
)
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, set_work_fields, text_of

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_URL = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"


def canonical(name: str, tag_type=TagType.FREEFORM):
    tag = tag_by_name(name) or do_find_or_create_tags([name], tag_type)[0]
    return do_set_canonical(tag, True)


@pytest.fixture
def archive(alice, carol):
    canonical(FANDOM, TagType.FANDOM)
    tea = canonical("Tea")
    drinks = canonical("Drinks")
    do_add_metatag(tea, drinks)
    do_make_synonym(do_find_or_create_tags(["Teatime"], TagType.FREEFORM)[0], tea)
    return {
        "tea": make_work(author=alice, title="Tea for Two", freeforms=("Tea",)),
        "teatime": make_work(author=alice, title="Teatime Talk", freeforms=("Teatime",)),
        "carols": make_work(author=carol, title="Carol's Walk"),
        "plain": make_work(author=alice, title="Plain Morning"),
    }


def listed(client, path="/works", **params) -> list[str]:
    doc = parse(client.get(path, params))
    return sorted(text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/div/h4/a[1]"))


def test_a_blocked_tag_hides_its_synonyms_works_too(archive, bob, bob_client):
    do_block_tag(bob, tag_by_name("Tea"))
    assert listed(bob_client) == ["Carol's Walk", "Plain Morning"]
    assert listed(bob_client, FANDOM_URL) == ["Carol's Walk", "Plain Morning"]


def test_blocking_a_synonym_blocks_the_canonicals_works(archive, bob, bob_client):
    do_block_tag(bob, tag_by_name("Teatime"))
    assert listed(bob_client) == ["Carol's Walk", "Plain Morning"]


def test_blocking_a_metatag_hides_its_subtags_works(archive, bob, bob_client):
    do_block_tag(bob, tag_by_name("Drinks"))
    assert listed(bob_client) == ["Carol's Walk", "Plain Morning"]


def test_a_blocked_creator_is_hidden_but_never_their_anonymous_works(
    archive, alice, bob, bob_client
):
    set_work_fields(archive["plain"], anonymous=True)
    do_block_creator(bob, alice)
    assert listed(bob_client) == ["Carol's Walk", "Plain Morning"]


def test_a_blocked_work_is_hidden_alone(archive, bob, bob_client):
    do_block_work(bob, archive["carols"])
    assert "Carol's Walk" not in listed(bob_client)
    assert len(listed(bob_client)) == 3


def test_one_readers_blocklist_does_not_touch_anothers(archive, bob, viewers):
    do_block_work(bob, archive["carols"])
    for viewer in ("guest", "alice", "admin"):
        assert "Carol's Walk" in listed(viewers[viewer]), viewer


def test_the_hidden_line_offers_to_show_them_once(archive, bob, bob_client):
    do_block_tag(bob, tag_by_name("Tea"))
    doc = parse(bob_client.get("/works"))
    line = doc.xpath("//p[@class='blocklist notice']")[0]
    assert text_of(line).startswith("2 works hidden by your blocklist.")
    link = line.xpath("./a")[0]
    assert text_of(link) == "Show them this once"
    assert link.get("href") == "/works?show_hidden=1"
    response = bob_client.get(link.get("href"))
    doc = parse(response)
    assert len(doc.xpath("//ol[@class='work index group']/li")) == 4
    back = doc.xpath("//p[@class='blocklist notice']/a")[0]
    assert back.get("href") == "/works"


def test_guests_and_readers_with_nothing_hidden_see_no_line(archive, viewers):
    for viewer, client in viewers.items():
        assert not parse(client.get("/works")).xpath("//p[@class='blocklist notice']"), viewer


def test_blocking_is_idempotent(archive, bob):
    first = do_block_tag(bob, tag_by_name("Tea"))
    assert do_block_tag(bob, tag_by_name("Tea")) == first
    assert BlocklistEntry.objects.filter(owner=bob).count() == 1


def test_nobody_can_block_themselves(archive, alice):
    with pytest.raises(BlocklistError, match="yourself"):
        do_block_creator(alice, alice)
    assert not BlocklistEntry.objects.exists()


def test_a_full_blocklist_says_so(archive, bob, monkeypatch):
    monkeypatch.setattr(actions, "BLOCKLIST_LIMIT", 1)
    do_block_work(bob, archive["carols"])
    with pytest.raises(BlocklistError, match="the most it can hold"):
        do_block_work(bob, archive["plain"])
    # Tags have their own allowance.
    do_block_tag(bob, tag_by_name("Tea"))


# One exact status each: the guest is sent to log in (302), others see no such page (404),
# the owner's page answers (200) and the owner's post redirects back (302).
@pytest.mark.parametrize(
    ("viewer", "status", "post_status"),
    [("guest", 302, 302), ("alice", 404, 404), ("admin", 404, 404), ("bob", 200, 302)],
)
def test_the_blocklist_page_is_its_owners_alone(archive, bob, viewers, viewer, status, post_status):
    do_block_tag(bob, tag_by_name("Tea"))
    response = viewers[viewer].get("/users/bob/blocklist")
    assert response.status_code == status
    if viewer == "guest":
        assert response["Location"].startswith("/users/login")
    post = viewers[viewer].post("/users/bob/blocklist", {"tag_name": "Drinks"})
    assert post.status_code == post_status
    expected = 2 if viewer == "bob" else 1
    assert BlocklistEntry.objects.filter(owner=bob).count() == expected


def test_adding_by_tag_name_creator_login_and_work_url(archive, bob, bob_client):
    bob_client.post("/users/bob/blocklist", {"tag_name": "tea", "block": "tag"})
    bob_client.post("/users/bob/blocklist", {"creator_login": "Carol", "block": "creator"})
    work = archive["plain"]
    response = bob_client.post(
        "/users/bob/blocklist", {"work": f"http://testserver/works/{work.pk}", "block": "work"}
    )
    assert response.status_code == 302
    doc = parse(bob_client.get(response["Location"]))
    assert "is now on your blocklist" in text_of(doc.xpath("//div[@class='flash notice']")[0])
    entries = text_of(doc.xpath("//div[@id='main']")[0])
    for shown in ("Tea", "carol", "Plain Morning"):
        assert shown in entries
    assert listed(bob_client) == []


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("tag_name", "No Such Tag Here", "There is no tag named"),
        ("creator_login", "nobody", "There is no user"),
        ("creator_login", "bob", "You can't block yourself"),
        ("work", "/works/999999", "isn't a work you can see"),
        ("work", "not a work", "isn't a work you can see"),
    ],
)
def test_bad_input_is_a_clear_error_with_the_typed_text_kept(
    archive, bob, bob_client, field, typed, message
):
    block = {"tag_name": "tag", "creator_login": "creator", "work": "work"}[field]
    response = bob_client.post("/users/bob/blocklist", {field: typed, "block": block})
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[@class='flash error']")[0])
    assert doc.xpath("//input[@name=$name]/@value", name=field) == [typed]
    assert not BlocklistEntry.objects.exists()


def test_removing_an_entry(archive, alice, bob, bob_client, carol):
    entry = do_block_creator(bob, carol)
    other = do_block_creator(alice, carol)
    assert bob_client.get(f"/users/bob/blocklist/{entry.pk}/delete").status_code == 405
    assert bob_client.post(f"/users/bob/blocklist/{other.pk}/delete").status_code == 404
    assert bob_client.post(f"/users/alice/blocklist/{other.pk}/delete").status_code == 404
    response = bob_client.post(f"/users/bob/blocklist/{entry.pk}/delete")
    assert response.status_code == 302
    assert list(BlocklistEntry.objects.all()) == [other]
    assert "Carol's Walk" in listed(bob_client)


def test_the_block_buttons_on_tag_and_creator_listings(archive, bob_client, alice_client):
    doc = parse(bob_client.get(FANDOM_URL))
    button = doc.xpath("//form[@class='block tag']")[0]
    assert button.xpath(".//input[@name='tag_name']/@value") == [FANDOM]
    assert text_of(button.xpath(".//button")[0]) == "Block this tag"
    doc = parse(bob_client.get("/users/carol/works"))
    button = doc.xpath("//form[@class='block creator']")[0]
    response = bob_client.post(
        button.get("action"),
        {"creator_login": "carol", "return_to": "/users/carol/works"},
    )
    assert response["Location"] == "/users/carol/works"
    assert listed(bob_client, "/users/carol/works") == []
    # Not on one's own works, and never for guests.
    assert not parse(alice_client.get("/users/alice/works")).xpath("//form[@class='block creator']")
    assert not parse(bob_client.get("/users/bob/works")).xpath("//form[@class='block creator']")


def test_an_offsite_return_to_is_ignored(archive, bob_client):
    response = bob_client.post(
        "/users/bob/blocklist", {"tag_name": "Tea", "return_to": "https://example.com/"}
    )
    assert response["Location"] == "/users/bob/blocklist"


def test_a_listing_offers_readers_a_hide_button_on_each_work(archive, bob, bob_client, client):
    doc = parse(bob_client.get("/works"))
    forms = doc.xpath("//li[contains(@class, 'work blurb')]//form[@class='block work']")
    assert len(forms) == 4
    assert not parse(client.get("/works")).xpath("//form[@class='block work']")
    plain = archive["plain"]
    response = bob_client.post(
        "/users/bob/blocklist", {"work": str(plain.pk), "block": "work", "return_to": "/works"}
    )
    assert response.status_code == 302 and response["Location"] == "/works"
    assert "Plain Morning" not in listed(bob_client)
