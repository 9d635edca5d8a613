"""Bookmarks of series: one per user and series, the same notes, tags, rec and privacy as a
work's, listed beside work bookmarks with AO3's series blurb; a series is visible when one of
its works is (works.queries.visible_works); WorkStats.bookmarks_count never moves for them."""

import pytest
from django.core.cache import caches
from django.db import IntegrityError, transaction

from quire.conftest import client_for
from quire.social.actions import (
    BookmarkExists,
    BookmarkInput,
    do_create_bookmark,
    do_create_series_bookmark,
    do_delete_bookmark,
    do_update_bookmark,
)
from quire.social.models import Bookmark
from quire.testing import assert_form_shows, make_user, make_work, parse, row_counts, text_of
from quire.works.models import WorkStats
from quire.works.queries import visible_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(alice):
    first = make_work(author=alice, title="Part One", new_series_title="The Long Road")
    serie = first.series.get()
    make_work(author=alice, title="Part Two", series=serie)
    return serie


def bookmark_series(user, series, **fields) -> Bookmark:
    data = BookmarkInput(pseud=user.pseuds.get(is_default=True), **fields)
    return do_create_series_bookmark(series, owner=user, data=data)


def listed_ids(response) -> list[int]:
    return [
        int(i.removeprefix("bookmark_"))
        for i in parse(response).xpath("//li/@id")
        if i.startswith("bookmark_")
    ]


def stats_counts(series) -> list[int]:
    return list(
        WorkStats.objects.filter(work__series=series)
        .order_by("work_id")
        .values_list("bookmarks_count", flat=True)
    )


def test_it_bookmarks_a_series_from_the_series_page(series, bob):
    client = client_for(bob)
    page = parse(client.get(f"/series/{series.pk}"))
    assert page.xpath("//li[@class='bookmark']/a/@href") == [f"/series/{series.pk}/bookmarks/new"]
    response = client.post(
        f"/series/{series.pk}/bookmarks/new",
        {"notes": "<p>Read <b>all</b> of it</p><script>x</script>", "tags": "Slow, Comfort"},
    )
    assert response.status_code == 302
    saved = Bookmark.objects.get()
    assert (saved.series_id, saved.work_id) == (series.pk, None)
    assert "<script>" not in saved.notes and "<b>all</b>" in saved.notes
    assert sorted(tag.name for tag in saved.tags.all()) == ["Comfort", "Slow"]
    # The series page now offers to edit it, and counts it.
    page = parse(client.get(f"/series/{series.pk}"))
    assert page.xpath("//li[@class='bookmark']/a/text()") == ["Edit Bookmark"]
    assert page.xpath("//dd[@class='bookmarks']/a/@href") == [f"/series/{series.pk}/bookmarks"]
    assert stats_counts(series) == [0, 0]


def test_the_series_blurb_shows_title_creators_works_and_words(series, alice, bob):
    mark = bookmark_series(bob, series, rec=True)
    for path in ("/bookmarks", "/users/bob/bookmarks", f"/series/{series.pk}/bookmarks"):
        page = parse(client_for(alice).get(path))
        (blurb,) = page.xpath(f"//li[@id='bookmark_{mark.pk}']")
        assert "bookmark blurb group" in blurb.get("class")
        (heading,) = blurb.xpath("./div[@class='header module']/h4[@class='heading']")
        assert text_of(heading) == "The Long Road by alice"
        assert heading.xpath("./a[1]/@href") == [f"/series/{series.pk}"]
        assert heading.xpath("./a[@rel='author']/text()") == ["alice"]
        assert blurb.xpath(".//dd[@class='works']/a/text()") == ["2"]
        words = sum(series.works.values_list("word_count", flat=True))
        assert blurb.xpath(".//dd[@class='words']/text()") == [str(words)]
        assert blurb.xpath(".//span[@class='rec']")


def test_one_bookmark_per_user_per_series(series, bob):
    first = bookmark_series(bob, series)
    with pytest.raises(BookmarkExists) as exists:
        bookmark_series(bob, series, notes="again")
    assert exists.value.bookmark == first
    assert str(exists.value) == "You have already bookmarked this series."
    # The form sends a second try to the existing bookmark.
    response = client_for(bob).get(f"/series/{series.pk}/bookmarks/new")
    assert response.headers["Location"] == f"/bookmarks/{first.pk}/edit"
    assert Bookmark.objects.count() == 1
    # Another reader may bookmark it too, and bob may still bookmark one of its works.
    bookmark_series(make_user("dora"), series)
    work = series.works.first()
    do_create_bookmark(work, owner=bob, data=BookmarkInput(pseud=bob.pseuds.get()))
    assert Bookmark.objects.count() == 3


def test_a_bookmark_is_of_exactly_one_work_or_series(series, bob):
    pseud = bob.pseuds.get()
    work = series.works.first()
    for fields in ({"work": work, "series": series}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Bookmark.objects.create(owner=bob, pseud=pseud, **fields)


def test_a_rejected_form_keeps_what_was_typed_and_saves_nothing(series, bob):
    data = {"notes": "x" * 5_001, "tags": "Fine, " + "y" * 151, "rec": "on"}
    before = row_counts(Bookmark)
    response = client_for(bob).post(f"/series/{series.pk}/bookmarks/new", data)
    assert response.status_code == 200
    doc = parse(response)
    assert "Notes must be less than 5,000 characters" in text_of(doc.xpath("//div[@id='error']")[0])
    assert_form_shows(doc, data)
    assert row_counts(Bookmark) == before


def test_edit_and_delete_a_series_bookmark(series, bob):
    mark = bookmark_series(bob, series)
    client = client_for(bob)
    page = parse(client.get(f"/bookmarks/{mark.pk}/edit"))
    assert page.xpath("//h2/a/@href") == [f"/series/{series.pk}"]
    client.post(f"/bookmarks/{mark.pk}/edit", {"notes": "Better", "tags": "", "private": "on"})
    mark.refresh_from_db()
    assert mark.private and "Better" in mark.notes
    assert stats_counts(series) == [0, 0]
    do_update_bookmark(mark, BookmarkInput(pseud=bob.pseuds.get(), private=False))
    assert stats_counts(series) == [0, 0]
    client.post(f"/bookmarks/{mark.pk}/delete")
    assert not Bookmark.objects.exists()
    assert stats_counts(series) == [0, 0]
    # Someone else's bookmark can't be edited or deleted.
    other = bookmark_series(bob, series)
    assert client_for(make_user("dora")).post(f"/bookmarks/{other.pk}/delete").status_code == 404
    do_delete_bookmark(other)


def test_private_series_bookmarks_are_their_owners_alone(series, alice, bob, client):
    mark = bookmark_series(bob, series, private=True)
    assert listed_ids(client_for(bob).get("/users/bob/bookmarks")) == [mark.pk]
    for viewer in (client, client_for(alice)):
        for path in ("/bookmarks", "/users/bob/bookmarks", f"/series/{series.pk}/bookmarks"):
            assert listed_ids(viewer.get(path)) == [], path
    assert not parse(client_for(alice).get(f"/series/{series.pk}")).xpath(
        "//dd[@class='bookmarks']"
    )


def test_a_series_of_restricted_works_is_hidden_from_guests(alice, bob, client):
    first = make_work(author=alice, title="Locked", restricted=True, new_series_title="Members")
    members = first.series.get()
    mark = bookmark_series(bob, members)
    assert client.get(f"/series/{members.pk}/bookmarks").status_code == 404
    assert listed_ids(client.get("/bookmarks")) == []
    assert listed_ids(client.get("/users/bob/bookmarks")) == []
    assert listed_ids(client_for(alice).get("/bookmarks")) == [mark.pk]
    # One public work makes the series visible to guests, counting only what they may see.
    make_work(author=alice, title="Open", series=members)
    page = parse(client.get("/bookmarks"))
    assert listed_ids(client.get("/bookmarks")) == [mark.pk]
    assert page.xpath("//dd[@class='works']/a/text()") == ["1"]
    assert list(visible_series(alice)) == [members]


def test_a_series_of_drafts_cant_be_bookmarked(alice, bob):
    draft = make_work(author=alice, title="Unposted", posted=False, new_series_title="Drafty")
    drafty = draft.series.get()
    client = client_for(bob)
    assert client.get(f"/series/{drafty.pk}/bookmarks/new").status_code == 404
    assert client.post(f"/series/{drafty.pk}/bookmarks/new", {"notes": ""}).status_code == 404
    assert client.get(f"/series/{drafty.pk}/bookmarks").status_code == 404
    assert not Bookmark.objects.exists()


def test_guests_are_sent_to_log_in_to_bookmark(series, client):
    response = client.get(f"/series/{series.pk}/bookmarks/new")
    assert response.status_code == 302 and "/users/login" in response.headers["Location"]
    assert not parse(client.get(f"/series/{series.pk}")).xpath("//li[@class='bookmark']")


def _queries(django_assert_max_num_queries, client, path) -> int:
    caches["default"].clear()
    with django_assert_max_num_queries(24) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/bookmarks", "/users/bob/bookmarks"])
def test_mixed_listings_cost_the_same_queries_for_few_and_many(
    alice, bob, path, django_assert_max_num_queries
):
    viewer = client_for(make_user("viewer"))
    readers = [make_user(f"reader{n}") for n in range(12)]

    def add(start, stop):
        for n in range(start, stop):
            owner = bob if "users" in path else readers[n]
            first = make_work(author=alice, title=f"S{n} one", new_series_title=f"Series {n}")
            serie = first.series.get()
            make_work(author=alice, title=f"S{n} two", series=serie)
            bookmark_series(owner, serie, tag_names=[f"s{n}"])
            data = BookmarkInput(pseud=owner.pseuds.get(), tag_names=[f"w{n}"])
            do_create_bookmark(first, owner=owner, data=data)

    add(0, 2)
    few = _queries(django_assert_max_num_queries, viewer, path)
    add(2, 12)
    many = _queries(django_assert_max_num_queries, viewer, path)
    assert len(listed_ids(viewer.get(path))) == 20
    assert few == many


def test_the_series_bookmarks_listing_costs_the_same_for_few_and_many(
    series, django_assert_max_num_queries
):
    viewer = client_for(make_user("viewer"))
    readers = [make_user(f"reader{n}") for n in range(25)]
    for reader in readers[:3]:
        bookmark_series(reader, series, tag_names=["one"])
    few = _queries(django_assert_max_num_queries, viewer, f"/series/{series.pk}/bookmarks")
    for reader in readers[3:]:
        bookmark_series(reader, series, tag_names=["two", reader.username])
    many = _queries(django_assert_max_num_queries, viewer, f"/series/{series.pk}/bookmarks")
    assert few == many


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_bookmarks(alice, bob):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    work = make_work(author=alice, title="Kept Across")
    before, after = ("social", "0004_comments_and_inbox"), ("social", "0005_bookmarks_of_series")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("social", "Bookmark")
    kept = old.objects.create(owner_id=bob.pk, pseud_id=bob.pseuds.get().pk, work_id=work.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    row = Bookmark.objects.get(pk=kept.pk)
    assert (row.work_id, row.series_id, row.owner_id) == (work.pk, None, bob.pk)
