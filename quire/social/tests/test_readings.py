"""Reading history and Marked for Later: recorded for logged-in readers only, seen by its
owner alone, listing only works the owner may still see."""

import pytest
from django.core.cache import caches
from django.test import Client

from quire.accounts.actions import do_update_preferences
from quire.conftest import client_for
from quire.social.actions import do_mark_for_later, do_record_reading
from quire.social.models import Reading
from quire.testing import chapter_input, make_user, make_work, parse, set_work_fields, text_of
from quire.works.actions import do_add_chapter, do_delete_work, do_set_hidden_by_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Worth Rereading")


def listed_work_ids(response) -> list[int]:
    return [
        int(i.removeprefix("work_"))
        for i in parse(response).xpath("//li[@class='reading group']//li/@id")
        if i.startswith("work_")
    ]


def reading(user, work) -> Reading | None:
    return Reading.objects.filter(user=user, work=work).first()


# Recording


def test_it_records_a_readers_views_and_counts_them_up(work, bob, bob_client):
    bob_client.get(f"/works/{work.pk}")
    first = reading(bob, work)
    assert first.views == 1
    assert first.chapters_posted_at_view == 1
    bob_client.get(f"/works/{work.pk}")
    second = reading(bob, work)
    assert second.views == 2
    assert second.first_viewed_at == first.first_viewed_at
    assert second.last_viewed_at >= first.last_viewed_at


def test_it_records_chapter_pages_too(alice, bob, bob_client):
    work = make_work(author=alice, chapters=2)
    response = bob_client.get(f"/works/{work.pk}")  # redirects to the first chapter
    bob_client.get(response.url)
    assert reading(bob, work).views == 1
    assert reading(bob, work).chapters_posted_at_view == 2


def test_it_records_nothing_for_guests_creators_or_drafts(client, alice, alice_client, bob, work):
    client.get(f"/works/{work.pk}")
    alice_client.get(f"/works/{work.pk}")
    draft = make_work(author=alice, posted=False)
    do_record_reading(bob, draft)
    assert Reading.objects.count() == 0


def test_it_records_nothing_with_history_off_but_mark_for_later_still_works(work, bob, bob_client):
    do_update_preferences(bob, history_enabled=False)
    bob_client.get(f"/works/{work.pk}")
    assert Reading.objects.count() == 0
    response = bob_client.post(f"/works/{work.pk}/mark_for_later")
    assert response.status_code == 302
    row = reading(bob, work)
    assert row.toread and row.views == 0
    bob_client.get(f"/works/{work.pk}")
    assert reading(bob, work).views == 0
    listed = bob_client.get("/users/bob/readings?show=to-read")
    assert listed_work_ids(listed) == [work.pk]


def test_the_preferences_page_shows_and_saves_history(bob, bob_client):
    doc = parse(bob_client.get("/users/bob/preferences"))
    assert doc.xpath("//input[@name='history_enabled']/@checked")
    bob_client.post("/users/bob/preferences", {"view_adult": ""})
    assert bob.preference.history_enabled is False
    doc = parse(bob_client.get("/users/bob/preferences"))
    assert not doc.xpath("//input[@name='history_enabled']/@checked")


def test_update_available_after_a_new_chapter_is_posted(work, bob, bob_client):
    bob_client.get(f"/works/{work.pk}")
    page = bob_client.get("/users/bob/readings")
    assert "Update available" not in page.content.decode()
    do_add_chapter(work, chapter_input("<p>More.</p>", title="Two"), post=True)
    page = bob_client.get("/users/bob/readings")
    assert "Update available" in page.content.decode()


# Marked for Later


def test_mark_for_later_and_mark_as_read_from_the_work_page(work, bob, bob_client):
    doc = parse(bob_client.get(f"/works/{work.pk}"))
    assert doc.xpath("//li[@class='mark']//button[text()='Mark for Later']")
    bob_client.post(f"/works/{work.pk}/mark_for_later")
    doc = parse(bob_client.get(f"/works/{work.pk}"))
    assert doc.xpath("//li[@class='mark']//button[text()='Mark as Read']")
    assert reading(bob, work).toread
    bob_client.post(f"/works/{work.pk}/mark_as_read")
    assert not reading(bob, work).toread


def test_mark_buttons_are_for_logged_in_readers_only(client, alice_client, work):
    assert not parse(client.get(f"/works/{work.pk}")).xpath("//li[@class='mark']")
    assert not parse(alice_client.get(f"/works/{work.pk}")).xpath("//li[@class='mark']")
    response = client.post(f"/works/{work.pk}/mark_for_later")
    assert response.status_code == 302 and "login" in response.url
    assert Reading.objects.count() == 0


def test_marking_a_draft_or_missing_work_is_not_found(alice, bob_client):
    draft = make_work(author=alice, posted=False)
    assert bob_client.post(f"/works/{draft.pk}/mark_for_later").status_code == 404
    assert bob_client.post("/works/999999/mark_for_later").status_code == 404
    assert bob_client.get(f"/works/{draft.pk}/mark_for_later").status_code == 405


def test_a_creator_cannot_mark_their_own_draft_or_bookmark_it(alice, alice_client):
    draft = make_work(author=alice, posted=False)
    assert alice_client.post(f"/works/{draft.pk}/mark_for_later").status_code == 404
    assert alice_client.get(f"/works/{draft.pk}/bookmarks/new").status_code == 404
    assert Reading.objects.count() == 0


def test_the_to_read_filter_lists_only_works_marked_for_later(alice, bob, bob_client):
    read = make_work(author=alice, title="Read")
    later = make_work(author=alice, title="Later")
    do_record_reading(bob, read)
    do_record_reading(bob, later)
    do_mark_for_later(bob, later)
    assert listed_work_ids(bob_client.get("/users/bob/readings?show=to-read")) == [later.pk]
    assert set(listed_work_ids(bob_client.get("/users/bob/readings"))) == {read.pk, later.pk}


# The history page


def test_the_history_lists_most_recent_first_with_visits(alice, bob, bob_client):
    older = make_work(author=alice, title="Older")
    newer = make_work(author=alice, title="Newer")
    do_record_reading(bob, older)
    do_record_reading(bob, newer)
    do_record_reading(bob, newer)
    page = bob_client.get("/users/bob/readings")
    assert listed_work_ids(page) == [newer.pk, older.pk]
    text = text_of(parse(page).xpath(f"//li[@id='reading_{reading(bob, newer).pk}']")[0])
    assert "Last visited:" in text
    assert "Visited 2 times" in text


@pytest.mark.parametrize(
    ("viewer", "expected"), [("guest", 302), ("alice", 404), ("bob", 200), ("admin", 404)]
)
def test_it_shows_a_history_to_its_owner_alone(client, alice, bob, admin_user, viewer, expected):
    users = {"alice": alice, "bob": bob, "admin": admin_user}
    browser: Client = client if viewer == "guest" else client_for(users[viewer])
    response = browser.get("/users/bob/readings")
    assert response.status_code == expected
    if viewer == "guest":
        assert "login" in response["Location"]


def test_missing_users_history_is_not_found(bob_client):
    assert bob_client.get("/users/nobody/readings").status_code == 404


def test_clear_one_and_clear_all(alice, bob, carol, bob_client):
    works = [make_work(author=alice, title=f"W{n}") for n in range(3)]
    for work in works:
        do_record_reading(bob, work)
    do_record_reading(carol, works[0])
    one = reading(bob, works[0])
    assert bob_client.post(f"/users/bob/readings/{one.pk}/delete").status_code == 302
    assert reading(bob, works[0]) is None
    assert Reading.objects.filter(user=bob).count() == 2
    assert bob_client.post("/users/bob/readings/clear").status_code == 302
    assert Reading.objects.filter(user=bob).count() == 0
    assert Reading.objects.filter(user=carol).count() == 1


def test_nobody_clears_someone_elses_history(alice, bob, carol, client, work):
    do_record_reading(carol, work)
    carols = reading(carol, work)
    bob_client = client_for(bob)
    assert bob_client.post(f"/users/bob/readings/{carols.pk}/delete").status_code == 404
    assert bob_client.post(f"/users/carol/readings/{carols.pk}/delete").status_code == 404
    assert bob_client.post("/users/carol/readings/clear").status_code == 404
    assert client.post("/users/carol/readings/clear").status_code == 302
    assert bob_client.get("/users/bob/readings/clear").status_code == 405
    assert Reading.objects.filter(user=carol).count() == 1


def test_works_hidden_deleted_or_drafted_drop_out_restricted_ones_stay(alice, bob, bob_client):
    hidden, deleted, drafted, restricted, kept = (
        make_work(author=alice, title=title)
        for title in ("Hidden", "Deleted", "Drafted", "Restricted", "Kept")
    )
    for work in (hidden, deleted, drafted, restricted, kept):
        do_record_reading(bob, work)
    do_set_hidden_by_admin(hidden, hidden=True)
    do_delete_work(deleted)
    set_work_fields(drafted, posted=False)
    set_work_fields(restricted, restricted=True)  # bob is logged in: he may still read it
    listed = listed_work_ids(bob_client.get("/users/bob/readings"))
    assert set(listed) == {restricted.pk, kept.pk}


def test_the_history_pages_by_twenty(alice, bob, bob_client):
    for n in range(21):
        do_record_reading(bob, make_work(author=alice, title=f"W{n}"))
    assert len(listed_work_ids(bob_client.get("/users/bob/readings"))) == 20
    assert len(listed_work_ids(bob_client.get("/users/bob/readings?page=2"))) == 1


def _queries_for(django_assert_max_num_queries, client, path) -> int:
    caches["default"].clear()  # each measure starts without cached blurb fragments
    with django_assert_max_num_queries(20) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/users/bob/readings", "/users/bob/readings?show=to-read"])
def test_the_history_costs_the_same_queries_for_5_and_25_readings(
    alice, bob, path, django_assert_max_num_queries
):
    works = [make_work(author=alice, title=f"Work {n}", freeforms=(f"tag {n}",)) for n in range(25)]
    viewer = client_for(bob)

    def add(start, stop):
        for work in works[start:stop]:
            do_record_reading(bob, work)
            do_mark_for_later(bob, work)

    add(0, 5)
    few = _queries_for(django_assert_max_num_queries, viewer, path)
    add(5, 25)
    many = _queries_for(django_assert_max_num_queries, viewer, path)
    assert len(listed_work_ids(viewer.get(path))) == 20
    assert few == many


def test_a_second_reader_does_not_touch_the_firsts_history(work, bob, bob_client):
    carol = make_user("dora")
    do_record_reading(carol, work)
    bob_client.get(f"/works/{work.pk}")
    assert reading(carol, work).views == 1
    assert reading(bob, work).views == 1
