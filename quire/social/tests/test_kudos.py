"""Kudos (AO3.md §7): one per account or guest IP, never on one's own work, guests not on
restricted works, never on drafts or works the reader can't see."""

import pytest
from django.test import Client

from quire.conftest import client_for
from quire.social.actions import KudosError, do_leave_kudos
from quire.social.models import Kudo
from quire.testing import make_work, parse
from quire.works.models import Work, WorkStats

pytestmark = pytest.mark.django_db

STATS_KUDOS = "//dl[@class='stats']/dd[@class='kudos']"
BLURB_KUDOS = "//li[contains(@class, 'blurb')]//dl[@class='stats']/dd[@class='kudos']"


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Kudos Welcome")


def kudos_count(work) -> int:
    return WorkStats.objects.get(work=work).kudos_count


def post_kudos(client, work, **headers):
    return client.post(f"/works/{work.pk}/kudos", **headers)


def post_kudos_json(client, work, ip="10.0.0.1"):
    return client.post(
        f"/works/{work.pk}/kudos",
        headers={"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"},
        REMOTE_ADDR=ip,
    )


def kudos_text(response) -> str:
    return parse(response).get_element_by_id("kudos").text_content().strip()


# The action


def test_a_reader_leaves_kudos_once(work, bob):
    do_leave_kudos(work, user=bob)
    with pytest.raises(KudosError, match="already left kudos"):
        do_leave_kudos(work, user=bob)
    assert Kudo.objects.filter(work=work).count() == 1
    assert kudos_count(work) == 1


def test_a_creator_cannot_leave_kudos_on_their_own_work(work, alice):
    with pytest.raises(KudosError, match="your own work"):
        do_leave_kudos(work, user=alice)
    assert kudos_count(work) == 0


def test_a_co_creator_cannot_leave_kudos_either(alice, bob):
    shared = make_work(
        author=alice, pseuds=[alice.pseuds.get(is_default=True), bob.pseuds.get(is_default=True)]
    )
    with pytest.raises(KudosError, match="your own work"):
        do_leave_kudos(shared, user=bob)


def test_a_guest_leaves_kudos_once_per_ip(work):
    do_leave_kudos(work, ip="10.0.0.1")
    with pytest.raises(KudosError, match="already left kudos"):
        do_leave_kudos(work, ip="10.0.0.1")
    assert kudos_count(work) == 1


def test_guests_from_two_ips_both_count(work):
    do_leave_kudos(work, ip="10.0.0.1")
    do_leave_kudos(work, ip="10.0.0.2")
    assert kudos_count(work) == 2


def test_guest_kudos_keep_no_ip_address(work):
    do_leave_kudos(work, ip="10.0.0.1")
    kudo = Kudo.objects.get(work=work)
    assert kudo.user is None
    assert "10.0.0.1" not in kudo.ip_hash
    assert kudo.ip_hash


def test_a_guest_cannot_leave_kudos_on_a_restricted_work(alice, bob):
    restricted = make_work(author=alice, restricted=True)
    with pytest.raises(KudosError, match="restricted"):
        do_leave_kudos(restricted, ip="10.0.0.1")
    do_leave_kudos(restricted, user=bob)
    assert kudos_count(restricted) == 1


def test_nobody_leaves_kudos_on_a_draft(alice, bob):
    draft = make_work(author=alice, posted=False)
    with pytest.raises(KudosError, match="draft"):
        do_leave_kudos(draft, user=bob)
    with pytest.raises(KudosError, match="draft"):
        do_leave_kudos(draft, ip="10.0.0.1")
    assert kudos_count(draft) == 0


def test_the_database_refuses_a_second_kudos_from_one_user(work, bob):
    from django.db import IntegrityError, transaction

    Kudo.objects.create(work=work, user=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudo.objects.create(work=work, user=bob)


# The view, walking the permission matrix


def test_a_reader_leaves_kudos_through_the_form_and_is_sent_back(work, bob):
    client = client_for(bob)
    response = post_kudos(client, work)
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for leaving kudos!" in page
    assert kudos_count(work) == 1


def test_a_second_kudos_through_the_form_shows_an_error(work, bob):
    client = client_for(bob)
    post_kudos(client, work)
    response = post_kudos(client, work, follow=True)
    assert 'class="flash error">You have already left kudos here. :)' in response.content.decode()
    assert kudos_count(work) == 1


def test_a_creator_posting_kudos_gets_an_error(work, alice):
    response = post_kudos(client_for(alice), work, follow=True)
    assert "You can&#x27;t leave kudos on your own work." in response.content.decode()
    assert kudos_count(work) == 0


def test_kudos_by_script_answer_with_json_and_the_new_list(work, bob):
    response = post_kudos_json(client_for(bob), work)
    assert response.status_code == 201
    data = response.json()
    assert data["ok"] is True
    assert data["kudos_count"] == 1
    assert 'href="/users/bob">bob</a> left kudos on this work!' in data["kudos_html"]


def test_refused_kudos_by_script_answer_with_json_and_the_reason(work, alice):
    response = post_kudos_json(client_for(alice), work)
    assert response.status_code == 422
    assert response.json()["message"] == "You can't leave kudos on your own work."


def test_a_guest_leaves_kudos_by_script_with_a_dispensed_token(work):
    guest = Client(enforce_csrf_checks=True)
    assert post_kudos_json(guest, work).status_code == 403  # no token: Django's CSRF failure
    token = guest.get("/token_dispenser.json").json()["token"]
    response = guest.post(
        f"/works/{work.pk}/kudos",
        headers={"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": token},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 201
    assert response.json()["kudos_html"].strip().startswith('<p class="kudos">1 guest left')


def test_a_guest_twice_from_one_ip_is_refused(work, client):
    assert post_kudos_json(client, work, ip="10.0.0.1").status_code == 201
    response = post_kudos_json(client, work, ip="10.0.0.1")
    assert response.status_code == 422
    assert response.json()["message"] == "You have already left kudos here. :)"
    assert post_kudos_json(client, work, ip="10.0.0.2").status_code == 201
    assert kudos_count(work) == 2


def test_a_guest_posting_on_a_restricted_work_is_refused(alice, client):
    restricted = make_work(author=alice, restricted=True)
    assert post_kudos_json(client, restricted).status_code == 403
    assert kudos_count(restricted) == 0


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_can_post_kudos_on_someone_elses_draft(alice, viewers, viewer):
    draft = make_work(author=alice, posted=False)
    assert post_kudos(viewers[viewer], draft).status_code == 404
    assert kudos_count(draft) == 0


@pytest.mark.parametrize("viewer", ["guest", "bob"])
def test_nobody_but_admins_can_post_kudos_on_a_hidden_work(alice, viewers, viewer):
    hidden = make_work(author=alice)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    assert post_kudos(viewers[viewer], hidden).status_code == 404
    assert kudos_count(hidden) == 0


def test_kudos_are_posted_only(work, bob):
    assert client_for(bob).get(f"/works/{work.pk}/kudos").status_code == 405


# The work page


def test_the_kudos_section_names_users_newest_first_and_counts_guests(work, bob, carol):
    do_leave_kudos(work, user=bob)
    do_leave_kudos(work, user=carol)
    do_leave_kudos(work, ip="10.0.0.1")
    do_leave_kudos(work, ip="10.0.0.2")
    response = client_for(bob).get(f"/works/{work.pk}")
    kudos = parse(response).get_element_by_id("kudos")
    assert kudos_text(response) == "carol, bob as well as 2 guests left kudos on this work!"
    assert [a.get("href") for a in kudos.iter("a")] == ["/users/carol", "/users/bob"]


def test_the_kudos_section_with_one_guest_only(work, client):
    do_leave_kudos(work, ip="10.0.0.1")
    assert kudos_text(client.get(f"/works/{work.pk}")) == "1 guest left kudos on this work!"


def test_a_work_without_kudos_has_an_empty_kudos_section(work, client):
    assert kudos_text(client.get(f"/works/{work.pk}")) == ""


def test_the_work_page_stats_show_kudos_once_there_are_some(work, bob, client):
    doc = parse(client.get(f"/works/{work.pk}"))
    assert not doc.xpath(STATS_KUDOS)
    do_leave_kudos(work, user=bob)
    doc = parse(client.get(f"/works/{work.pk}"))
    assert doc.xpath(STATS_KUDOS)[0].text_content() == "1"


def test_blurbs_show_kudos_once_there_are_some(work, bob, client):
    assert not parse(client.get("/works")).xpath(BLURB_KUDOS)
    do_leave_kudos(work, user=bob)
    dd = parse(client.get("/works")).xpath(BLURB_KUDOS)
    assert [d.text_content() for d in dd] == ["1"]


def test_readers_get_the_kudos_button_with_a_token(work, bob):
    form = parse(client_for(bob).get(f"/works/{work.pk}")).get_element_by_id("new_kudo")
    assert form.get("action") == f"/works/{work.pk}/kudos"
    assert form.xpath(".//input[@name='csrfmiddlewaretoken']")
    assert form.xpath(".//input[@type='submit']")[0].get("value") == "Kudos ♥"


def test_guests_get_the_kudos_button_without_a_token_and_the_page_stays_cached(
    work, client, django_assert_num_queries
):
    form = parse(client.get(f"/works/{work.pk}")).get_element_by_id("new_kudo")
    assert not form.xpath(".//input[@name='csrfmiddlewaretoken']")
    assert form.get("data-token-url") == "/token_dispenser.json"
    with django_assert_num_queries(0):
        assert client.get(f"/works/{work.pk}").status_code == 200


def test_creators_get_no_kudos_button_on_their_own_work(work, alice):
    assert not parse(client_for(alice).get(f"/works/{work.pk}")).xpath("//form[@id='new_kudo']")


def test_a_guests_cached_page_shows_new_kudos_at_once(work, bob, client):
    assert kudos_text(client.get(f"/works/{work.pk}")) == ""
    version = Work.objects.get(pk=work.pk).version
    do_leave_kudos(work, user=bob)
    assert kudos_text(client.get(f"/works/{work.pk}")) == "bob left kudos on this work!"
    # Only the live parts changed: the work's cached fragments stay valid.
    assert Work.objects.get(pk=work.pk).version == version


def test_kudos_show_on_chapter_pages_too(alice, bob, client):
    chaptered = make_work(author=alice, chapters=2)
    do_leave_kudos(chaptered, user=bob)
    chapter = chaptered.chapters.get(position=2)
    response = client.get(f"/works/{chaptered.pk}/chapters/{chapter.pk}")
    assert kudos_text(response) == "bob left kudos on this work!"


def test_a_guest_post_without_a_token_gets_a_page_with_one_and_loses_nothing(work):
    guest = Client(enforce_csrf_checks=True)
    response = guest.post(f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert not Kudo.objects.exists()
    doc = parse(response)
    assert doc.xpath("//form[@id='new_kudo']/@action") == [f"/works/{work.pk}/kudos"]
    token = doc.xpath("//form[@id='new_kudo']//input[@name='csrfmiddlewaretoken']/@value")[0]
    response = guest.post(f"/works/{work.pk}/kudos", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Kudo.objects.filter(work=work, user=None).count() == 1
