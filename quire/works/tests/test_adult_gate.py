"""The adult-content gate (AO3.md §7): Not Rated, Mature and Explicit works ask first."""

import pytest

from quire.accounts.actions import do_update_preferences
from quire.conftest import client_for
from quire.testing import make_user, make_work, parse, text_of, work_form_data

pytestmark = pytest.mark.django_db

GATE_TEXT = (
    "This work could have adult content. If you continue, you have agreed that you are "
    "willing to see such content."
)


def is_gate(response) -> bool:
    return response.status_code == 200 and GATE_TEXT in text_of(parse(response))


@pytest.fixture
def mature(alice):
    return make_work(author=alice, title="Heat", rating="Mature", chapters=2)


@pytest.mark.parametrize("rating", ["Not Rated", "Mature", "Explicit"])
def test_adult_ratings_show_the_gate(alice, client, rating):
    work = make_work(author=alice, rating=rating)
    assert is_gate(client.get(f"/works/{work.pk}"))


@pytest.mark.parametrize("rating", ["General Audiences", "Teen And Up Audiences"])
def test_other_ratings_show_no_gate(alice, client, rating):
    work = make_work(author=alice, rating=rating)
    assert not is_gate(client.get(f"/works/{work.pk}"))


def test_the_gate_reads_exactly_as_ao3s(mature, client):
    doc = parse(client.get(f"/works/{mature.pk}"))
    gate = doc.xpath("//div[@id='main']//div[contains(@class, 'caution')]")[0]
    assert text_of(gate.xpath("p")[0]) == GATE_TEXT
    links = {text_of(a): a.get("href") for a in gate.xpath(".//a")}
    assert links["Yes, Continue"] == f"/works/{mature.pk}?view_adult=true"
    assert "No, Go Back" in links
    assert any("preferences" in text.lower() for text in links)


def test_the_gate_offers_logged_in_readers_their_preferences(mature, bob):
    doc = parse(client_for(bob).get(f"/works/{mature.pk}"))
    assert "/users/bob/preferences" in doc.xpath("//div[contains(@class, 'caution')]//a/@href")


def test_yes_continue_keeps_the_other_parameters(mature, client):
    doc = parse(client.get(f"/works/{mature.pk}?style=disable"))
    href = doc.xpath("//a[text()='Yes, Continue']/@href")[0]
    assert href == f"/works/{mature.pk}?style=disable&view_adult=true"


def test_the_gate_stands_before_every_chapter(mature, client):
    for chapter in mature.chapters.all():
        assert is_gate(client.get(f"/works/{mature.pk}/chapters/{chapter.pk}"))
    assert is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))


def test_view_adult_passes_the_gate_and_is_remembered_for_the_session(mature, alice, client):
    other = make_work(author=alice, title="Also Heat", rating="Explicit")
    first = mature.chapters.get(position=1)
    response = client.get(f"/works/{mature.pk}/chapters/{first.pk}?view_adult=true")
    assert response.status_code == 200
    assert not is_gate(response)
    assert client.session["view_adult"] is True
    # The choice holds for the rest of the session, on any adult work.
    assert not is_gate(client.get(f"/works/{other.pk}"))
    assert not is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))


def test_view_adult_on_the_work_url_passes_the_gate(mature, client):
    response = client.get(f"/works/{mature.pk}?view_adult=true&view_full_work=true")
    assert not is_gate(response)
    assert parse(response).xpath("//div[@id='workskin']")


def test_view_adult_on_the_navigate_url_is_remembered_too(mature, client):
    assert client.get(f"/works/{mature.pk}/navigate?view_adult=true").status_code == 200
    assert client.session.get("view_adult") is True
    assert not is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))


def test_the_choice_ends_with_the_session(mature, client):
    client.get(f"/works/{mature.pk}?view_adult=true")
    client.cookies.clear()
    assert is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))


def test_creators_never_see_the_gate_on_their_own_works(mature, alice):
    client = client_for(alice)
    assert not is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))
    for chapter in mature.chapters.all():
        assert not is_gate(client.get(f"/works/{mature.pk}/chapters/{chapter.pk}"))
    assert "view_adult" not in client.session


def test_creators_still_see_the_gate_on_other_peoples_works(bob):
    work = make_work(author=bob, rating="Explicit")
    assert is_gate(client_for(make_user("alice")).get(f"/works/{work.pk}"))


def test_readers_whose_preference_says_so_never_see_the_gate(mature, bob):
    client = client_for(bob)
    assert is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))
    do_update_preferences(bob, view_adult=True)
    assert not is_gate(client.get(f"/works/{mature.pk}?view_full_work=true"))
    second = mature.chapters.get(position=2)
    assert not is_gate(client.get(f"/works/{mature.pk}/chapters/{second.pk}"))


def test_admins_see_the_gate_like_any_reader(mature, admin_user):
    assert is_gate(client_for(admin_user).get(f"/works/{mature.pk}"))


def test_a_rating_changed_to_general_lifts_the_gate(alice, client):
    work = make_work(author=alice, rating="Explicit")
    assert is_gate(client.get(f"/works/{work.pk}"))
    response = client_for(alice).post(f"/works/{work.pk}/edit", work_form_data(alice))
    assert response.status_code == 302
    assert not is_gate(client.get(f"/works/{work.pk}"))
