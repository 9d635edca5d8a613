"""Orphaning (AO3's /orphans): works and series move to the shared orphan account, keeping
the pseud's name or not; a co-creator keeps their credit; it cannot be undone."""

import pytest

from quire.accounts.actions import ORPHAN_USERNAME, do_create_pseud, do_orphan
from quire.accounts.models import Pseud, User
from quire.testing import make_work, parse, text_of
from quire.works.models import Series

pytestmark = pytest.mark.django_db


def byline(client, work) -> str:
    return text_of(parse(client.get(f"/works/{work.pk}")).xpath("//h3[@class='byline heading']")[0])


def test_the_confirmation_page_says_it_cannot_be_undone(alice, alice_client):
    work = make_work(author=alice, title="Letters")
    doc = parse(alice_client.get(f"/orphans/new?work_id={work.pk}"))
    assert "cannot be undone" in text_of(doc.xpath("//div[@class='caution notice']")[0])
    assert [text_of(li) for li in doc.xpath("//ul[@class='orphaned']/li")] == ["Letters"]
    assert doc.xpath("//form[@action='/orphans']//input[@name='work_id']")[0].get("value") == str(
        work.pk
    )


def test_orphaning_a_work_keeping_the_pseud_name(alice, alice_client, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    work = make_work(author=alice, pseuds=[lizzy])
    version = work.version
    client.get(f"/works/{work.pk}")  # a cached guest page
    response = alice_client.post("/orphans", {"work_id": work.pk, "use_default": "false"})
    assert response["Location"] == "/users/alice"
    assert byline(client, work) == f"Lizzy ({ORPHAN_USERNAME})"
    orphan = User.objects.get(username=ORPHAN_USERNAME)
    assert not orphan.has_usable_password() and orphan.email == ""
    work.refresh_from_db()
    assert work.version > version
    dashboard = parse(alice_client.get("/users/alice"))
    assert not dashboard.xpath(f"//li[@id='work_{work.pk}']")
    assert "No works yet." in text_of(dashboard.xpath("//ol[@class='work index group']")[0])


def test_orphaning_without_the_pseud_name(alice, alice_client, client):
    work = make_work(author=alice)
    alice_client.post("/orphans", {"work_id": work.pk, "use_default": "true"})
    assert byline(client, work) == ORPHAN_USERNAME
    # The orphan account's works page lists it.
    doc = parse(client.get(f"/users/{ORPHAN_USERNAME}/works"))
    assert doc.xpath(f"//li[@id='work_{work.pk}']")


def test_a_co_created_work_keeps_its_other_creator(alice, bob, alice_client, client):
    work = make_work(author=alice, pseuds=[alice.pseuds.get(), bob.pseuds.get()])
    alice_client.post("/orphans", {"work_id": work.pk, "use_default": "false"})
    assert byline(client, work) == f"alice ({ORPHAN_USERNAME}), bob"


def test_orphan_all_my_works_and_series(alice, bob, alice_client):
    series = Series.objects.create(title="Letters")
    first = make_work(author=alice, series=series)
    second = make_work(author=alice, title="Second")
    bobs = make_work(author=bob)
    doc = parse(alice_client.get("/orphans/new"))
    assert len(doc.xpath("//ul[@class='orphaned']/li")) == 3
    alice_client.post("/orphans", {"use_default": "true"})
    orphan = User.objects.get(username=ORPHAN_USERNAME)
    for work in (first, second):
        assert list(work.pseuds.values_list("user", flat=True)) == [orphan.pk]
    assert list(series.pseuds.values_list("user", flat=True)) == [orphan.pk]
    assert list(bobs.pseuds.values_list("user", flat=True)) == [bob.pk]


def test_orphaning_a_series_orphans_its_works(alice, alice_client):
    series = Series.objects.create(title="Letters")
    inside = make_work(author=alice, series=series)
    outside = make_work(author=alice)
    alice_client.post("/orphans", {"series_id": series.pk, "use_default": "false"})
    assert inside.pseuds.get().user.username == ORPHAN_USERNAME
    assert outside.pseuds.get().user == alice


def test_orphaning_a_pseuds_works(alice, alice_client):
    lizzy = do_create_pseud(alice, "Lizzy")
    as_lizzy = make_work(author=alice, pseuds=[lizzy])
    as_alice = make_work(author=alice)
    alice_client.post("/orphans", {"pseud_id": lizzy.pk, "use_default": "false"})
    assert as_lizzy.pseuds.get().byline == f"Lizzy ({ORPHAN_USERNAME})"
    assert as_alice.pseuds.get().user == alice


def test_two_orphanings_under_one_name_share_the_orphan_pseud(alice, bob):
    do_create_pseud(bob, "Lizzy")
    lizzy = do_create_pseud(alice, "Lizzy")
    first = make_work(author=alice, pseuds=[lizzy])
    second = make_work(author=bob, pseuds=[bob.pseuds.get(name="Lizzy")])
    do_orphan(alice, work_ids=[first.pk], keep_name=True)
    do_orphan(bob, work_ids=[second.pk], keep_name=True)
    orphan = User.objects.get(username=ORPHAN_USERNAME)
    assert Pseud.objects.filter(user=orphan, name="Lizzy").count() == 1


@pytest.mark.parametrize("query", ["work_id={other}", "series_id={series}", "pseud_id={pseud}"])
def test_someone_elses_things_cannot_be_orphaned(alice, bob, bob_client, query):
    series = Series.objects.create(title="Letters")
    work = make_work(author=alice, series=series)
    values = {"other": work.pk, "series": series.pk, "pseud": alice.pseuds.get().pk}
    query = query.format(**values)
    assert bob_client.get(f"/orphans/new?{query}").status_code == 404
    name, value = query.split("=")
    assert bob_client.post("/orphans", {name: value, "use_default": "true"}).status_code == 404
    assert work.pseuds.get().user == alice


@pytest.mark.parametrize("query", ["work_id=x", "work_id=99999999999999999999999", "work_id=0"])
def test_bad_ids_are_404s(alice, alice_client, query):
    assert alice_client.get(f"/orphans/new?{query}").status_code == 404


def test_guests_are_sent_to_log_in(client, db):
    assert client.get("/orphans/new").status_code == 302
    assert client.post("/orphans", {"use_default": "true"}).status_code == 302
    assert client.get("/orphans").status_code == 200


def test_the_orphan_account_cannot_log_in(alice, client):
    do_orphan(alice, work_ids=[make_work(author=alice).pk], keep_name=False)
    orphan = User.objects.get(username=ORPHAN_USERNAME)
    assert not orphan.has_usable_password()
    assert not client.login(username=ORPHAN_USERNAME, password="")


def test_drafts_are_not_orphaned(alice, alice_client):
    draft = make_work(author=alice, posted=False)
    posted = make_work(author=alice, title="Posted")
    assert alice_client.get(f"/orphans/new?work_id={draft.pk}").status_code == 404
    doc = parse(alice_client.get("/orphans/new"))
    assert [text_of(li) for li in doc.xpath("//ul[@class='orphaned']/li")] == ["Posted"]
    alice_client.post("/orphans", {"use_default": "true"})
    assert draft.pseuds.get().user == alice
    assert posted.pseuds.get().user.username == ORPHAN_USERNAME


def test_the_work_page_and_the_series_form_link_orphaning(alice, alice_client, client):
    series = Series.objects.create(title="Letters")
    work = make_work(author=alice, series=series)
    link = f"/orphans/new?work_id={work.pk}"
    assert parse(alice_client.get(f"/works/{work.pk}")).xpath(f"//a[@href='{link}']")
    assert not parse(client.get(f"/works/{work.pk}")).xpath(f"//a[@href='{link}']")
    link = f"/orphans/new?series_id={series.pk}"
    assert parse(alice_client.get(f"/series/{series.pk}/edit")).xpath(f"//a[@href='{link}']")
