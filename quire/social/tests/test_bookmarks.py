"""Bookmarks of works: one per user and work, private ones seen by their owner alone, listings
only of works the viewer may see, WorkStats.bookmarks_count kept exact (public ones only)."""

import pytest
from django.core.cache import caches

from quire.conftest import client_for
from quire.social.actions import (
    BookmarkExists,
    BookmarkInput,
    do_create_bookmark,
    do_delete_bookmark,
    do_update_bookmark,
)
from quire.social.models import BOOKMARK_NOTES_MAX, Bookmark
from quire.tags.models import Tag
from quire.testing import assert_form_shows, make_user, make_work, parse, row_counts, text_of
from quire.works.models import Work, WorkStats
from quire.works.pagecache import generations

pytestmark = pytest.mark.django_db

LISTINGS = ("/bookmarks", "/users/bob/bookmarks", "/works/{work}/bookmarks")


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Worth Keeping")


def bookmark(user, work, **fields) -> Bookmark:
    data = BookmarkInput(pseud=user.pseuds.get(is_default=True), **fields)
    return do_create_bookmark(work, owner=user, data=data)


def count(work) -> int:
    return WorkStats.objects.get(work=work).bookmarks_count


def listed_ids(response) -> list[int]:
    return [
        int(i.removeprefix("bookmark_"))
        for i in parse(response).xpath("//li/@id")
        if i.startswith("bookmark_")
    ]


def form_data(**fields) -> dict:
    data = {"notes": "", "tags": "", "save_button": "1"}
    data.update(fields)
    return data


# The actions


def test_one_bookmark_per_user_per_work(work, bob):
    first = bookmark(bob, work)
    with pytest.raises(BookmarkExists) as exists:
        bookmark(bob, work, notes="again")
    assert exists.value.bookmark == first
    assert Bookmark.objects.count() == 1
    assert count(work) == 1


def test_count_stays_exact_through_create_private_toggle_and_delete(work, bob, carol):
    public = bookmark(bob, work)
    private = bookmark(carol, work, private=True)
    assert count(work) == 1
    data = BookmarkInput(pseud=bob.pseuds.get(), private=True)
    do_update_bookmark(public, data)
    assert count(work) == 0
    do_update_bookmark(public, data)  # saving it private again changes nothing
    assert count(work) == 0
    do_update_bookmark(public, BookmarkInput(pseud=bob.pseuds.get()))
    do_update_bookmark(private, BookmarkInput(pseud=carol.pseuds.get()))
    assert count(work) == 2
    do_delete_bookmark(public)
    do_delete_bookmark(public)  # already gone: nothing more happens
    assert count(work) == 1
    do_update_bookmark(private, BookmarkInput(pseud=carol.pseuds.get(), private=True))
    do_delete_bookmark(private)
    assert count(work) == 0
    assert not Bookmark.objects.exists()


def test_a_change_of_the_public_count_expires_guest_pages(work, bob):
    before = generations().get(work.pk)
    mark = bookmark(bob, work)
    after_create = generations().get(work.pk)
    assert after_create != before
    do_update_bookmark(mark, BookmarkInput(pseud=bob.pseuds.get(), notes="only notes"))
    assert generations().get(work.pk) == after_create
    do_delete_bookmark(mark)
    assert generations().get(work.pk) != after_create


def test_notes_are_sanitized_and_tags_are_ordinary_tags(work, bob):
    Tag.objects.create(name="Slow Burn", name_key="slow burn", type="freeform")
    mark = bookmark(
        bob,
        work,
        notes='<script>alert("x")</script>Loved it.\n\n<a href="javascript:x()">more</a>',
        tag_names=["Slow Burn", "to reread", "to reread"],
    )
    assert "script" not in mark.notes and "alert" not in mark.notes
    assert "javascript" not in mark.notes
    assert "<p>Loved it.</p>" in mark.notes
    tags = {tag.name: tag.type for tag in mark.tags.all()}
    assert tags == {"Slow Burn": "freeform", "to reread": "unsorted"}


# Creating, editing and deleting through the pages


def test_a_reader_bookmarks_a_work(work, bob_client, bob):
    response = bob_client.post(
        f"/works/{work.pk}/bookmarks/new",
        form_data(notes="So good", tags="fluff, comfort", rec="on"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/users/bob/bookmarks"
    mark = Bookmark.objects.get()
    assert (mark.owner, mark.work, mark.rec, mark.private) == (bob, work, True, False)
    assert sorted(tag.name for tag in mark.tags.all()) == ["comfort", "fluff"]
    assert count(work) == 1


def test_a_second_bookmark_of_a_work_goes_to_editing_the_first(work, bob_client, bob):
    mark = bookmark(bob, work, notes="first")
    for response in (
        bob_client.get(f"/works/{work.pk}/bookmarks/new"),
        bob_client.post(f"/works/{work.pk}/bookmarks/new", form_data(notes="second")),
    ):
        assert response.status_code == 302
        assert response["Location"] == f"/bookmarks/{mark.pk}/edit"
    assert Bookmark.objects.get().notes == "<p>first</p>"


def test_the_edit_form_shows_the_bookmark_and_saves_changes(work, bob_client, bob):
    mark = bookmark(bob, work, notes="first", tag_names=["fluff"], rec=True)
    doc = parse(bob_client.get(f"/bookmarks/{mark.pk}/edit"))
    assert doc.xpath("//textarea[@name='notes']")[0].text.strip() == "<p>first</p>"
    assert doc.xpath("//input[@name='tags']/@value") == ["fluff"]
    assert doc.xpath("//input[@name='rec']/@checked")
    response = bob_client.post(
        f"/bookmarks/{mark.pk}/edit", form_data(notes="second", tags="angst", private="on")
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert (mark.notes, mark.rec, mark.private) == ("<p>second</p>", False, True)
    assert [tag.name for tag in mark.tags.all()] == ["angst"]
    assert count(work) == 0


def test_the_owner_deletes_a_bookmark(work, bob_client, bob):
    mark = bookmark(bob, work)
    response = bob_client.post(f"/bookmarks/{mark.pk}/delete")
    assert response.status_code == 302
    assert not Bookmark.objects.exists()
    assert count(work) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"notes": "x" * (BOOKMARK_NOTES_MAX + 1)}, "Notes must be less than 5,000 characters"),
        ({"tags": ", ".join(f"tag {n}" for n in range(76))}, "at most 75 tags"),
        ({"tags": "x" * 151}, ""),
    ],
)
def test_bad_input_is_shown_again_and_nothing_is_saved(work, bob_client, bob, fields, message):
    before = row_counts(Bookmark, Tag)
    data = form_data(**{"notes": "Kept notes", "tags": "kept tag", "rec": "on", **fields})
    response = bob_client.post(f"/works/{work.pk}/bookmarks/new", data)
    assert response.status_code == 200
    doc = parse(response)
    errors = text_of(doc.get_element_by_id("error"))
    assert message in errors
    assert_form_shows(doc, data)
    assert row_counts(Bookmark, Tag) == before
    assert count(work) == 0


def test_bad_input_on_edit_changes_nothing(work, bob_client, bob):
    mark = bookmark(bob, work, notes="first")
    data = form_data(notes="y" * (BOOKMARK_NOTES_MAX + 1), private="on")
    response = bob_client.post(f"/bookmarks/{mark.pk}/edit", data)
    assert response.status_code == 200
    assert_form_shows(parse(response), data)
    mark.refresh_from_db()
    assert (mark.notes, mark.private) == ("<p>first</p>", False)
    assert count(work) == 1


# The permission matrix


def test_guests_are_sent_to_log_in_to_bookmark_edit_or_delete(work, bob, client):
    mark = bookmark(bob, work)
    for response in (
        client.get(f"/works/{work.pk}/bookmarks/new"),
        client.post(f"/works/{work.pk}/bookmarks/new", form_data()),
        client.get(f"/bookmarks/{mark.pk}/edit"),
        client.post(f"/bookmarks/{mark.pk}/edit", form_data(notes="guest")),
        client.post(f"/bookmarks/{mark.pk}/delete"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/users/login")
    assert Bookmark.objects.get().notes == ""


def test_another_users_bookmark_cannot_be_edited_or_deleted(work, bob, carol, admin_user):
    mark = bookmark(bob, work)
    for user in (carol, admin_user):
        other = client_for(user)
        assert other.get(f"/bookmarks/{mark.pk}/edit").status_code == 404
        assert other.post(f"/bookmarks/{mark.pk}/edit", form_data(notes="x")).status_code == 404
        assert other.post(f"/bookmarks/{mark.pk}/delete").status_code == 404
    assert Bookmark.objects.filter(pk=mark.pk, notes="").exists()


def test_delete_is_a_post(work, bob, bob_client):
    mark = bookmark(bob, work)
    assert bob_client.get(f"/bookmarks/{mark.pk}/delete").status_code == 405
    assert Bookmark.objects.exists()


def test_works_the_reader_cannot_see_cannot_be_bookmarked(alice, bob_client):
    draft = make_work(author=alice, posted=False)
    hidden = make_work(author=alice)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    for target in (draft, hidden):
        assert bob_client.get(f"/works/{target.pk}/bookmarks/new").status_code == 404
        assert bob_client.post(f"/works/{target.pk}/bookmarks/new", form_data()).status_code == 404
    assert client_for(alice).get(f"/works/{draft.pk}/bookmarks/new").status_code == 404
    assert not Bookmark.objects.exists()


def test_private_bookmarks_are_seen_by_their_owner_alone(work, bob, carol, admin_user, client):
    mark = bookmark(bob, work, private=True, notes="secret")
    for path in LISTINGS:
        path = path.format(work=work.pk)
        for viewer in (client, client_for(carol), client_for(admin_user)):
            response = viewer.get(path)
            assert response.status_code == 200
            assert mark.pk not in listed_ids(response)
            assert b"secret" not in response.content
    # Their owner sees it on their own bookmarks page only: the other listings are public.
    assert listed_ids(client_for(bob).get("/users/bob/bookmarks")) == [mark.pk]
    assert listed_ids(client_for(bob).get("/bookmarks")) == []
    assert count(work) == 0


def test_bookmarks_of_restricted_works_are_hidden_from_guests(alice, bob, client, bob_client):
    restricted = make_work(author=alice, restricted=True)
    mark = bookmark(bob, restricted)
    for path in ("/bookmarks", "/users/bob/bookmarks"):
        assert listed_ids(client.get(path)) == []
        assert listed_ids(bob_client.get(path)) == [mark.pk]
    response = client.get(f"/works/{restricted.pk}/bookmarks")
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?restricted=true")
    assert listed_ids(bob_client.get(f"/works/{restricted.pk}/bookmarks")) == [mark.pk]


def test_bookmarks_of_hidden_works_and_works_made_drafts_are_listed_to_no_one(alice, bob, viewers):
    hidden = make_work(author=alice, title="Hidden")
    unposted = make_work(author=alice, title="Unposted")
    marks = [bookmark(bob, hidden), bookmark(bob, unposted)]
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    Work.objects.filter(pk=unposted.pk).update(posted=False)
    for viewer in [*viewers.values(), client_for(bob)]:
        for path in ("/bookmarks", "/users/bob/bookmarks"):
            ids = listed_ids(viewer.get(path))
            assert not set(ids) & {mark.pk for mark in marks}


def test_an_unknown_user_has_no_bookmarks_page(client):
    assert client.get("/users/nobody/bookmarks").status_code == 404


# Listings and markup


def test_a_listing_shows_the_work_blurb_and_the_bookmark(work, bob, client):
    mark = bookmark(bob, work, notes="Read it twice.", tag_names=["comfort read"], rec=True)
    response = client.get(f"/works/{work.pk}/bookmarks")
    doc = parse(response)
    assert text_of(doc.xpath("//h2[@class='heading']")[0]) == "1 Bookmark for Worth Keeping"
    item = doc.get_element_by_id(f"bookmark_{mark.pk}")
    assert "bookmark blurb group" in item.get("class")
    blurb = item.xpath(".//li[contains(@class, 'work blurb group')]")[0]
    assert blurb.get("id") == f"work_{work.pk}"
    assert blurb.xpath(".//dd[@class='bookmarks']/a/@href") == [f"/works/{work.pk}/bookmarks"]
    assert text_of(item.xpath(".//h5[contains(@class, 'byline')]")[0]) == "Bookmarked by bob"
    assert item.xpath(".//ul[contains(@class, 'tags')]/li/a/text()") == ["comfort read"]
    assert text_of(item.xpath(".//blockquote[contains(@class, 'notes')]")[0]) == "Read it twice."
    assert item.xpath(".//span[@class='rec']/text()") == ["Rec"]
    assert not item.xpath(".//form")  # a guest gets no edit or delete buttons


def test_listings_are_newest_first_and_paged(alice, bob):
    works = [make_work(author=alice, title=f"Work {n}") for n in range(22)]
    marks = [bookmark(bob, w) for w in works]
    response = client_for(bob).get("/users/bob/bookmarks")
    ids = listed_ids(response)
    assert ids == [mark.pk for mark in reversed(marks)][:20]
    assert "1 - 20 of 22 Bookmarks by bob" in text_of(parse(response).xpath("//h2")[0])
    assert listed_ids(client_for(bob).get("/users/bob/bookmarks?page=2")) == [
        marks[1].pk,
        marks[0].pk,
    ]


def test_the_work_page_has_a_bookmark_link_for_logged_in_readers(work, bob_client, client):
    link = f"//li[@class='bookmark']/a[@href='/works/{work.pk}/bookmarks/new']"
    assert parse(bob_client.get(f"/works/{work.pk}")).xpath(link)
    assert not parse(client.get(f"/works/{work.pk}")).xpath(link)
    preview = client_for(work.creatorships.get().pseud.user).get(f"/works/{work.pk}/preview")
    assert not parse(preview).xpath(link)


def test_the_work_page_links_its_public_bookmark_count(work, bob, carol, client):
    bookmark(bob, work)
    bookmark(carol, work, private=True)
    doc = parse(client.get(f"/works/{work.pk}"))
    assert doc.xpath("//dl[@class='stats']/dd[@class='bookmarks']/a/text()") == ["1"]
    listing = parse(client.get("/works"))
    assert listing.xpath("//dd[@class='bookmarks']/a/@href") == [f"/works/{work.pk}/bookmarks"]


def test_a_guest_page_shows_the_new_count_after_a_bookmark(work, bob, client):
    assert not parse(client.get(f"/works/{work.pk}")).xpath("//dd[@class='bookmarks']")
    bookmark(bob, work)
    assert parse(client.get(f"/works/{work.pk}")).xpath("//dd[@class='bookmarks']/a/text()") == [
        "1"
    ]


def _queries_for(django_assert_max_num_queries, client, path) -> int:
    caches["default"].clear()  # each measure starts without cached blurb fragments
    with django_assert_max_num_queries(20) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/bookmarks", "/users/bob/bookmarks", "/works/{work}/bookmarks"])
def test_listings_cost_the_same_queries_for_5_and_25_bookmarks(
    alice, bob, path, django_assert_max_num_queries
):
    one_work = make_work(author=alice, title="Shared")
    readers = [bob] + [make_user(f"reader{n}") for n in range(24)]
    works = [make_work(author=alice, title=f"Work {n}", freeforms=(f"tag {n}",)) for n in range(25)]
    url = path.format(work=one_work.pk)
    viewer = client_for(bob)

    def add(start, stop):
        for n in range(start, stop):
            if "{work}" in path:
                bookmark(readers[n], one_work, tag_names=[f"mine {n}", "shared"])
            else:
                bookmark(bob if "users" in path else readers[n], works[n], tag_names=[f"m {n}"])

    add(0, 5)
    few = _queries_for(django_assert_max_num_queries, viewer, url)
    add(5, 25)
    many = _queries_for(django_assert_max_num_queries, viewer, url)
    assert len(listed_ids(viewer.get(url))) == 20
    assert few == many


def test_the_readers_blocklist_applies_to_other_peoples_bookmark_lists(work, alice, bob, carol):
    from quire.search.actions import do_block_creator

    other = make_work(author=carol, title="Carol's Own")
    kept, hidden = bookmark(bob, other), bookmark(bob, work)
    do_block_creator(carol, alice)  # carol never wants alice's works listed
    carols_view = client_for(carol)
    assert listed_ids(carols_view.get("/bookmarks")) == [kept.pk]
    assert listed_ids(carols_view.get("/users/bob/bookmarks")) == [kept.pk]
    # Bob's own list, and everyone else's view, are untouched.
    assert sorted(listed_ids(client_for(bob).get("/users/bob/bookmarks"))) == sorted(
        [kept.pk, hidden.pk]
    )
    assert sorted(listed_ids(client_for(alice).get("/bookmarks"))) == sorted([kept.pk, hidden.pk])
