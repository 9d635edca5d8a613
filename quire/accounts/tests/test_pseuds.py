"""Pseuds: the names a user writes under. Adding and renaming them (AO3.md §6: 1-40
characters, unique per user); a rename shows at once on cached work pages and blurbs."""

import pytest

from quire.accounts.actions import do_create_pseud
from quire.accounts.models import Pseud
from quire.testing import assert_form_shows, make_work, parse, row_counts, text_of

pytestmark = pytest.mark.django_db


def test_every_account_starts_with_a_default_pseud_named_after_it(alice):
    assert [(p.name, p.is_default) for p in alice.pseuds.all()] == [("alice", True)]


def test_the_pseud_list_puts_the_default_first(alice, viewers):
    do_create_pseud(alice, "Zed")
    do_create_pseud(alice, "Bea")
    doc = parse(viewers["guest"].get("/users/alice/pseuds"))
    items = doc.xpath("//ul[@class='pseud index group']/li")
    assert [text_of(li.xpath("a")[0]) for li in items] == ["alice", "Bea", "Zed"]
    assert "(default)" in text_of(items[0])
    assert not doc.xpath("//a[text()='New Pseud']")
    assert parse(viewers["alice"].get("/users/alice/pseuds")).xpath("//a[text()='New Pseud']")


def test_adding_a_pseud(alice, viewers):
    response = viewers["alice"].post(
        "/users/alice/pseuds/new", {"name": "Lizzy", "description": "For the letters."}
    )
    assert response["Location"] == "/users/alice/pseuds"
    pseud = alice.pseuds.get(name="Lizzy")
    assert not pseud.is_default and pseud.description == "For the letters."
    assert pseud.byline == "Lizzy (alice)"


def test_a_new_pseud_can_be_credited_on_a_work(alice, viewers, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    work = make_work(author=alice, pseuds=[lizzy])
    doc = parse(client.get(f"/works/{work.pk}"))
    assert text_of(doc.xpath("//h3[@class='byline heading']")[0]) == "Lizzy (alice)"


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_else_can_add_or_rename_a_users_pseuds(alice, viewers, viewer):
    client = viewers[viewer]
    before = row_counts(Pseud)
    for path, data in (
        ("/users/alice/pseuds/new", {"name": "Intruder"}),
        ("/users/alice/pseuds/alice/edit", {"name": "Renamed"}),
    ):
        for response in (client.get(path), client.post(path, data)):
            if viewer == "guest":
                assert response["Location"] == f"/users/login?next={path}"
            else:
                assert response.status_code == 404
    assert row_counts(Pseud) == before
    assert alice.pseuds.get().name == "alice"


def test_a_missing_pseud_is_a_404(viewers):
    assert viewers["alice"].get("/users/alice/pseuds/nobody/edit").status_code == 404


def test_renaming_a_pseud_changes_bylines_on_cached_pages(alice, viewers, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    work = make_work(author=alice, pseuds=[lizzy], chapters=2)
    pages = [f"/works/{work.pk}?view_full_work=true", "/works", "/users/alice/works"]
    for path in pages:
        assert "Lizzy (alice)" in client.get(path).content.decode()  # fills the caches
    response = viewers["alice"].post(
        "/users/alice/pseuds/Lizzy/edit", {"name": "Elizabeth", "description": ""}
    )
    assert response["Location"] == "/users/alice/pseuds"
    for path in pages:
        html = client.get(path).content.decode()
        assert "Elizabeth (alice)" in html, path
        assert "Lizzy" not in html, path
    doc = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    assert doc.xpath("//h3[@class='byline heading']/a/@href") == ["/users/alice/pseuds/Elizabeth"]
    assert client.get("/users/alice/pseuds/Elizabeth/works").status_code == 200
    assert client.get("/users/alice/pseuds/Lizzy/works").status_code == 404


def test_renaming_a_pseud_in_case_only_is_allowed(alice, viewers):
    do_create_pseud(alice, "lizzy")
    response = viewers["alice"].post("/users/alice/pseuds/lizzy/edit", {"name": "Lizzy"})
    assert response.status_code == 302
    assert alice.pseuds.filter(name="Lizzy").exists()


@pytest.mark.parametrize("name", ["L", "L" * 40, "Élise Bennet", "jane_doe-2", "林 黛玉"])
def test_pseud_names_within_the_rules_are_accepted(alice, viewers, name):
    response = viewers["alice"].post("/users/alice/pseuds/new", {"name": name})
    assert response.status_code == 302
    assert alice.pseuds.filter(name=name).exists()
    # ... and every page that links to it still works
    make_work(author=alice, pseuds=[alice.pseuds.get(name=name)])
    for path in ("/users/alice/pseuds", "/works", "/users/alice"):
        assert viewers["alice"].get(path).status_code == 200


BAD_NAMES = {
    "blank": ("", "This field is required."),
    "only_spaces": ("   ", "This field is required."),
    "only_markup": ("<b></b>", "letters, numbers, spaces, underscores and dashes"),
    "too_long": ("L" * 41, "at most 40 characters (it has 41)"),
    "taken": ("Lizzy", "You already have a pseud with that name."),
    "taken_in_another_case": ("LIZZY", "You already have a pseud with that name."),
    "the_default": ("Alice", "You already have a pseud with that name."),
    "with_a_slash": ("Jane/Doe", "letters, numbers, spaces, underscores and dashes"),
    "with_a_question_mark": ("Jane?", "letters, numbers, spaces, underscores and dashes"),
    "with_a_dot": ("J.D.", "letters, numbers, spaces, underscores and dashes"),
    "only_dashes": ("---", "at least one letter or number"),
}


@pytest.mark.parametrize("case", list(BAD_NAMES))
def test_a_bad_new_pseud_is_rejected_kept_and_not_saved(alice, viewers, case):
    do_create_pseud(alice, "Lizzy")
    name, message = BAD_NAMES[case]
    data = {"name": name, "description": "Typed description"}
    before = row_counts(Pseud)
    response = viewers["alice"].post("/users/alice/pseuds/new", data)
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[contains(@class, 'flash error')]")[0])
    assert_form_shows(doc, data)
    assert row_counts(Pseud) == before


@pytest.mark.parametrize("case", list(BAD_NAMES))
def test_a_bad_rename_is_rejected_kept_and_changes_nothing(alice, viewers, case):
    do_create_pseud(alice, "Lizzy")
    jane = do_create_pseud(alice, "Jane", "Before.")
    version = make_work(author=alice, pseuds=[jane]).version
    name, message = BAD_NAMES[case]
    data = {"name": name, "description": "Typed description"}
    response = viewers["alice"].post("/users/alice/pseuds/Jane/edit", data)
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[contains(@class, 'flash error')]")[0])
    assert_form_shows(doc, data)
    jane.refresh_from_db()
    assert (jane.name, jane.description) == ("Jane", "Before.")
    assert jane.works.get().version == version


def test_an_empty_submission_is_told_what_is_missing(alice, viewers):
    before = row_counts(Pseud)
    response = viewers["alice"].post("/users/alice/pseuds/new", {})
    assert response.status_code == 200
    error = parse(response).xpath("//div[contains(@class, 'flash error')]")[0]
    assert "This field is required." in text_of(error)
    assert row_counts(Pseud) == before


def test_the_dashboard_links_a_readers_own_pages_to_them_alone(alice, alice_client, bob_client):
    own = parse(alice_client.get("/users/alice")).xpath("//ul[@role='navigation']//a/@href")
    assert {
        "/users/alice/bookmarks",
        "/users/alice/readings",
        "/users/alice/readings?show=to-read",
        "/users/alice/blocklist",
        "/users/alice/saved_searches",
    } <= set(own)
    others = parse(bob_client.get("/users/alice")).xpath("//ul[@role='navigation']//a/@href")
    assert "/users/alice/bookmarks" in others
    assert not {"/users/alice/readings", "/users/alice/blocklist"} & set(others)


def test_a_pseud_description_shows_its_markup_sanitized(alice, client):
    do_create_pseud(
        alice,
        "Marked",
        '<b>Bold</b> and <a href="javascript:alert(1)" onclick="x()">link</a>'
        "<script>alert(2)</script>",
    )
    response = client.get("/users/alice/pseuds")
    doc = parse(response)
    quote = doc.xpath("//blockquote[contains(@class, 'userstuff')]")[0]
    assert quote.xpath(".//b/text()") == ["Bold"]
    assert b"&lt;b&gt;" not in response.content
    assert not doc.xpath("//script[contains(., 'alert')]")
    assert not doc.xpath("//*[@onclick]") and b"javascript:" not in response.content
