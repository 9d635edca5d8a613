"""Guests' work pages are served whole from the cache, and never outlive a change."""

import pytest
from django.test import Client

from quire.conftest import client_for
from quire.testing import make_work, work_form_data
from quire.works.actions import do_delete_work, do_set_hidden_by_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Cached Tale", text="<p>The first telling.</p>")


def test_a_guests_second_visit_costs_no_queries(work, client, django_assert_num_queries):
    first = client.get(f"/works/{work.pk}")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(f"/works/{work.pk}")
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "max-age=60" in second["Cache-Control"]
    assert second["ETag"] == first["ETag"]


def test_an_unchanged_page_answers_304_to_its_etag(work, client):
    etag = client.get(f"/works/{work.pk}")["ETag"]
    client.get(f"/works/{work.pk}")
    response = client.get(f"/works/{work.pk}", headers={"if-none-match": etag})
    assert response.status_code == 304


def test_an_edit_shows_to_guests_at_once(work, alice, client):
    client.get(f"/works/{work.pk}")
    alice_client = client_for(alice)
    chapter = work.chapters.get()
    alice_client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/edit",
        {"content": "The second telling, longer now.", "post_button": "1"},
    )
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "The second telling" in html
    assert "The first telling" not in html


def test_hidden_and_deleted_works_leave_the_cache(alice, client):
    hidden = make_work(author=alice, title="Hidden Soon")
    deleted = make_work(author=alice, title="Deleted Soon")
    assert client.get(f"/works/{hidden.pk}").status_code == 200
    assert client.get(f"/works/{deleted.pk}").status_code == 200
    do_set_hidden_by_admin(hidden, hidden=True)
    deleted_id = deleted.pk
    do_delete_work(deleted)
    assert client.get(f"/works/{hidden.pk}").status_code == 404
    assert client.get(f"/works/{deleted_id}").status_code == 404


def test_series_neighbours_change_when_a_sibling_is_restricted(alice, client):
    first = make_work(author=alice, title="Part One", new_series_title="Saga")
    series = first.series.get()
    second = make_work(author=alice, title="Part Two", series=series)
    assert "Next Work" in client.get(f"/works/{first.pk}").content.decode()
    data = work_form_data(alice, title="Part Two", restricted="on")
    response = client_for(alice).post(f"/works/{second.pk}/edit", data)
    assert response.status_code == 302
    assert "Next Work" not in client.get(f"/works/{first.pk}").content.decode()


def test_logged_in_readers_never_get_the_guest_page(work, bob, client):
    client.get(f"/works/{work.pk}")
    response = client_for(bob).get(f"/works/{work.pk}")
    assert "logged-in" in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")


def test_a_guest_who_passed_the_adult_gate_is_not_served_the_gate(alice, client):
    mature = make_work(author=alice, rating="Mature", text="<p>Quiet words.</p>")
    gate = client.get(f"/works/{mature.pk}").content.decode()
    assert "could have adult content" in gate
    client.get(f"/works/{mature.pk}?view_adult=true")
    html = client.get(f"/works/{mature.pk}").content.decode()
    assert "Quiet words." in html
    # Another guest, without that session, still gets the gate.
    assert "could have adult content" in Client().get(f"/works/{mature.pk}").content.decode()


def test_a_change_recorded_by_another_process_expires_the_page(work, client):
    # Another app worker shares the generation table through the file, not through memory.
    from quire.works import pagecache

    client.get(f"/works/{work.pk}")
    shared = pagecache.generations()
    assert isinstance(shared, pagecache._FileGenerations)
    other_worker = pagecache._FileGenerations(shared.path)
    other_worker.bump([work.pk])
    work.title = "Changed Elsewhere"
    work.save(update_fields=["title"])
    assert "Changed Elsewhere" in client.get(f"/works/{work.pk}").content.decode()


def test_huge_pages_are_not_kept(alice, client, django_assert_max_num_queries):
    big = make_work(author=alice, text="<p>" + "word " * 120_000 + "</p>")
    client.get(f"/works/{big.pk}")
    with django_assert_max_num_queries(12) as captured:
        client.get(f"/works/{big.pk}")
    assert len(captured) > 0  # rendered again, not served from memory
