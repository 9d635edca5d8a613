"""Saved searches: any listing or search saved under a name (page and show_hidden dropped),
the owner-only list with delete buttons and feed URLs, and the Atom feed, which needs no
login but the right token and shows what a logged-out visitor would, after the owner's
blocklist."""

from urllib.parse import parse_qs, urlsplit

import lxml.etree
import pytest

from quire.search.actions import do_block_creator, do_save_search
from quire.search.models import SavedSearch
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.testing import make_work, parse, set_work_fields, text_of

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_PATH = "/tags/Pride and Prejudice - Jane Austen/works"


@pytest.fixture
def archive(alice, carol):
    do_set_canonical(do_find_or_create_tags([FANDOM], TagType.FANDOM)[0], True)
    return {
        "letters": make_work(author=alice, title="Morning Letters", summary="<p>Ink and tea.</p>"),
        "restricted": make_work(author=alice, title="Members Only", restricted=True),
        "carols": make_work(author=carol, title="Carol's Walk"),
        "anon": make_work(author=carol, title="Nameless Note"),
        "other": make_work(author=alice, title="Elsewhere", fandoms=("Emma - Jane Austen",)),
    }


def save(client, login="bob", **fields):
    data = {"name": "My search", "path": FANDOM_PATH, "query_string": ""}
    data.update(fields)
    return client.post(f"/users/{login}/saved_searches", data)


def test_saving_a_search_from_a_listing(archive, bob, bob_client):
    doc = parse(bob_client.get("/works", {"work_search[query]": "walk", "page": "1"}))
    form = doc.xpath("//form[@class='save search']")[0]
    assert form.xpath(".//input[@name='path']/@value") == ["/works"]
    assert form.xpath(".//input[@name='query_string']/@value") == ["work_search%5Bquery%5D=walk"]
    response = save(
        bob_client,
        name="  Walks  ",
        path="/works",
        query_string="work_search%5Bquery%5D=walk&page=3&show_hidden=1",
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.name, saved.path) == (bob, "Walks", "/works")
    assert saved.query_string == "work_search%5Bquery%5D=walk"
    assert len(saved.feed_token) >= 32
    doc = parse(bob_client.get(response["Location"]))
    link = doc.xpath(f"//li[@id='saved_search_{saved.pk}']/a[@class='search']")[0]
    assert text_of(link) == "Walks"
    assert link.get("href") == "/works?work_search%5Bquery%5D=walk"
    feed = doc.xpath(f"//li[@id='saved_search_{saved.pk}']//a[@class='feed']/@href")[0]
    assert urlsplit(feed).path == f"/saved_searches/{saved.pk}/feed.atom"
    assert parse_qs(urlsplit(feed).query) == {"token": [saved.feed_token]}


def test_the_search_page_and_tag_listings_can_be_saved(archive, bob_client):
    assert save(bob_client, path="/works/search", query_string="work_search%5Btitle%5D=a")
    assert save(bob_client, name="Tag", path=FANDOM_PATH).status_code == 302
    assert SavedSearch.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "Give your saved search a name."),
        ({"name": "x" * 101}, "at most 100 characters"),
        ({"path": "/users/bob/blocklist"}, "Only a listing of works or a search"),
        ({"path": "https://example.com/works"}, "Only a listing of works or a search"),
        ({"path": "/tags/No Such Tag/works"}, "Only a listing of works or a search"),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_saved(archive, bob_client, fields, message):
    response = save(bob_client, **fields)
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[@class='flash error']")[0])
    if "name" in fields:
        assert doc.xpath("//input[@name='name']/@value") == [fields["name"]]
    assert not SavedSearch.objects.exists()


# One exact status each: the guest is sent to log in (302), others see no such page (404),
# the owner's page answers (200) and the owner's post redirects back (302).
@pytest.mark.parametrize(
    ("viewer", "status", "post_status"),
    [("guest", 302, 302), ("alice", 404, 404), ("admin", 404, 404), ("bob", 200, 302)],
)
def test_the_saved_searches_page_is_its_owners_alone(
    archive, bob, viewers, viewer, status, post_status
):
    saved = do_save_search(bob, name="Mine", path="/works", query_string="")
    response = viewers[viewer].get("/users/bob/saved_searches")
    assert response.status_code == status
    if viewer == "guest":
        assert response["Location"].startswith("/users/login")
    assert save(viewers[viewer]).status_code == post_status
    delete = viewers[viewer].post(f"/users/bob/saved_searches/{saved.pk}/delete")
    assert delete.status_code == post_status
    assert SavedSearch.objects.filter(pk=saved.pk).exists() == (viewer != "bob")


def test_one_cannot_delete_anothers_saved_search_through_ones_own_page(archive, alice, bob_client):
    theirs = do_save_search(alice, name="Theirs", path="/works", query_string="")
    response = bob_client.post(f"/users/bob/saved_searches/{theirs.pk}/delete")
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def feed_titles(response) -> list[str]:
    root = lxml.etree.fromstring(response.content)
    return [
        entry.findtext("atom:title", namespaces=ATOM) for entry in root.findall("atom:entry", ATOM)
    ]


def test_the_feed_needs_the_right_token(archive, bob, client):
    saved = do_save_search(bob, name="Tag", path=FANDOM_PATH, query_string="")
    url = f"/saved_searches/{saved.pk}/feed.atom"
    assert client.get(url).status_code == 404
    assert client.get(url, {"token": "wrong"}).status_code == 404
    # compare_digest refuses str with anything but ASCII: that was a 500 (issue 11).
    for wrong in ("é" * 43, "\x00", "🙂"):
        assert client.get(url, {"token": wrong}).status_code == 404
    assert (
        client.get(
            f"/saved_searches/{saved.pk + 1}/feed.atom", {"token": saved.feed_token}
        ).status_code
        == 404
    )
    response = client.get(url, {"token": saved.feed_token})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")


def test_the_feed_lists_public_works_of_the_search_after_the_owners_blocklist(
    archive, bob, carol, client
):
    set_work_fields(archive["anon"], anonymous=True)
    do_block_creator(bob, carol)
    saved = do_save_search(bob, name="Tag", path=FANDOM_PATH, query_string="page=2")
    response = client.get(f"/saved_searches/{saved.pk}/feed.atom", {"token": saved.feed_token})
    # Never the restricted work, though bob could see it; not Carol's (blocked), but her
    # anonymous work; not the other fandom's.
    assert sorted(feed_titles(response)) == ["Morning Letters", "Nameless Note"]
    root = lxml.etree.fromstring(response.content)
    entries = {
        entry.findtext("atom:title", namespaces=ATOM): entry
        for entry in root.findall("atom:entry", ATOM)
    }
    letters = entries["Morning Letters"]
    assert letters.findtext("atom:author/atom:name", namespaces=ATOM) == "alice"
    assert "Ink and tea." in letters.findtext("atom:summary", namespaces=ATOM)
    link = letters.find("atom:link", ATOM).get("href")
    assert link == f"http://testserver/works/{archive['letters'].pk}"
    assert letters.findtext("atom:updated", namespaces=ATOM).startswith(
        archive["letters"].revised_at.strftime("%Y-%m-%d")
    )
    assert entries["Nameless Note"].findtext("atom:author/atom:name", namespaces=ATOM) == (
        "Anonymous"
    )


def test_the_feed_keeps_the_searchs_filters_and_creator_scope(archive, bob, client):
    saved = do_save_search(
        bob,
        name="Alice",
        path="/users/alice/works",
        query_string="work_search%5Bquery%5D=elsewhere",
    )
    response = client.get(f"/saved_searches/{saved.pk}/feed.atom", {"token": saved.feed_token})
    assert feed_titles(response) == ["Elsewhere"]
    searched = do_save_search(
        bob, name="Search", path="/works/search", query_string="work_search%5Btitle%5D=walk"
    )
    response = client.get(
        f"/saved_searches/{searched.pk}/feed.atom", {"token": searched.feed_token}
    )
    assert feed_titles(response) == ["Carol's Walk"]
