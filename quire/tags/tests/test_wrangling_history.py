"""The wrangling home (fandoms by unwrangled tags, the unsorted bin) and the history of who
changed what, when."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.tags.actions import do_add_parent, do_make_synonym, do_set_canonical
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, text_of

from .wrangling_helpers import make_tag, make_unsorted

pytestmark = pytest.mark.django_db


@pytest.fixture
def fandoms(alice):
    sherlock = make_tag("Sherlock Holmes (TV)", TagType.FANDOM, canonical=True)
    make_work(
        author=alice,
        fandoms=("Sherlock Holmes (TV)",),
        characters=("Holmes", "Mrs Hudson"),
        freeforms=("Fluff",),
    )
    make_work(author=alice, fandoms=("Sherlock BBC",), relationships=("Holmes/Watson",))
    do_make_synonym(tag_by_name("Sherlock BBC"), sherlock)
    make_work(author=alice, fandoms=("Elementary",), characters=("Joan Watson",))
    make_work(author=alice, fandoms=("Tidy Fandom",))
    make_unsorted("Loose Tag")
    return sherlock


def index_rows(response) -> list[tuple[str, str]]:
    doc = parse(response)
    return [
        (text_of(row.xpath("./th")[0]), text_of(row.xpath("./td")[0]))
        for row in doc.xpath("//table[contains(@class,'fandoms')]/tbody/tr[th]")
    ]


def test_the_home_lists_fandoms_with_the_most_unwrangled_tags_first(fandoms, wrangler_client):
    response = wrangler_client.get("/wrangling")
    # The synonym's works count for its canonical: Holmes, Mrs Hudson, Fluff, Holmes/Watson.
    assert index_rows(response) == [("Sherlock Holmes (TV)", "4"), ("Elementary", "1")]
    doc = parse(response)
    link = doc.xpath("//table//a")[0].get("href")
    assert link == "/wrangling/fandoms/Sherlock%20Holmes%20(TV)?status=unwrangled"
    assert "1 unsorted tag" in text_of(doc.xpath("//a[@href='/wrangling/unsorted']/..")[1])


def test_wrangled_tags_leave_the_count(fandoms, wrangler_client):
    do_set_canonical(tag_by_name("Fluff"), True)
    do_set_canonical(tag_by_name("Joan Watson"), True)
    assert index_rows(wrangler_client.get("/wrangling")) == [("Sherlock Holmes (TV)", "3")]


def test_the_fandom_lookup_goes_to_its_dashboard(fandoms, wrangler_client):
    response = wrangler_client.get("/wrangling", {"fandom": "tidy fandom"})
    assert response.status_code == 302
    assert response["Location"] == "/wrangling/fandoms/Tidy%20Fandom"
    response = wrangler_client.get("/wrangling", {"fandom": "Holmes"})
    assert response.status_code == 200
    errors = parse(response).xpath("//div[@class='flash error']")
    assert "There is no fandom named Holmes." in text_of(errors[0])
    assert parse(response).xpath("//input[@name='fandom']/@value") == ["Holmes"]


def test_the_home_costs_the_same_however_many_fandoms(fandoms, alice, wrangler_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert wrangler_client.get("/wrangling").status_code == 200
        return len(captured)

    few = count()
    make_work(
        author=alice,
        fandoms=tuple(f"Fandom {n}" for n in range(20)),
        characters=("Someone",),
    )
    assert len(index_rows(wrangler_client.get("/wrangling"))) == 22
    assert count() == few <= 10


# --- History -----------------------------------------------------------------------------------


@pytest.fixture
def history(fandoms, wrangler, admin_user):
    do_set_canonical(tag_by_name("Mrs Hudson"), True, by=wrangler)
    do_add_parent(tag_by_name("Mrs Hudson"), fandoms, by=admin_user)
    do_set_canonical(tag_by_name("Fluff"), True, by=admin_user)


def history_rows(response) -> list[tuple[str, str, str]]:
    doc = parse(response)
    return [
        (
            text_of(row.xpath("./td")[1]),
            text_of(row.xpath("./td")[2]),
            text_of(row.xpath("./td[@class='wrangler']")[0]),
        )
        for row in doc.xpath("//tr[@class='event']")
    ]


def test_history_says_who_changed_what_newest_first(history, wrangler_client):
    assert history_rows(wrangler_client.get("/wrangling/history")) == [
        ("Fluff", "canonical", "admin"),
        ("Mrs Hudson", "parent added: Sherlock Holmes (TV)", "admin"),
        ("Mrs Hudson", "canonical", "wrangler"),
        ("Sherlock BBC", "synonym: synonym of Sherlock Holmes (TV)", "(system)"),
        ("Sherlock Holmes (TV)", "canonical", "(system)"),
    ]


def test_history_filters_by_tag_and_by_wrangler(history, wrangler_client):
    by_tag = history_rows(wrangler_client.get("/wrangling/history", {"tag": "hudson"}))
    assert [change for _, change, _ in by_tag] == [
        "parent added: Sherlock Holmes (TV)",
        "canonical",
    ]
    by_admin = history_rows(wrangler_client.get("/wrangling/history", {"wrangler": "Admin"}))
    assert [tag for tag, _, _ in by_admin] == ["Fluff", "Mrs Hudson"]
    both = wrangler_client.get("/wrangling/history", {"tag": "Mrs", "wrangler": "wrangler"})
    assert history_rows(both) == [("Mrs Hudson", "canonical", "wrangler")]
    doc = parse(both)
    assert doc.xpath("//input[@name='tag']/@value") == ["Mrs"]
    nobody = wrangler_client.get("/wrangling/history", {"wrangler": "nobody"})
    assert history_rows(nobody) == []


def test_the_history_page_costs_the_same_however_many_events(history, wrangler, wrangler_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert wrangler_client.get("/wrangling/history").status_code == 200
        return len(captured)

    few = count()
    for n in range(20):
        make_tag(f"Thing {n}", canonical=True)
    assert count() == few <= 8
