"""A fandom's wrangling dashboard: the tags its works use, with counts, unwrangled first, and
mass actions on ticked rows that refuse row by row without stopping the others."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.tags.actions import do_make_synonym, do_set_unwrangleable
from quire.tags.models import CommonTagging, Tag, TagType, WranglingEvent
from quire.tags.queries import tag_by_name
from quire.testing import assert_form_shows, make_work, parse, text_of

from .wrangling_helpers import make_tag, taxonomy_snapshot

pytestmark = pytest.mark.django_db

FANDOM = "Sherlock Holmes (TV)"
DASHBOARD = "/wrangling/fandoms/Sherlock%20Holmes%20(TV)"


@pytest.fixture
def fandom(alice):
    fandom = make_tag(FANDOM, TagType.FANDOM, canonical=True)
    make_tag("Sherlock Holmes", TagType.CHARACTER, canonical=True)
    make_work(
        author=alice,
        fandoms=(FANDOM,),
        characters=("Holmes", "Sherlock Holmes", "Mrs Hudson"),
        relationships=("Holmes/Watson",),
        freeforms=("Fluff",),
    )
    make_work(author=alice, fandoms=(FANDOM,), characters=("Holmes",))
    # The same character in another fandom does not count here; its own characters not at all.
    make_work(author=alice, fandoms=("Elementary",), characters=("Holmes", "Joan Watson"))
    return fandom


def rows(response) -> list[tuple[str, str, str]]:
    """(tag, works, status) for each row of the dashboard."""
    doc = parse(response)
    return [
        (
            text_of(row.xpath("./th/label")[0]),
            text_of(row.xpath("./td")[1]),
            text_of(row.xpath("./td[@class='status']")[0]),
        )
        for row in doc.xpath("//table[@id='wrangulator']/tbody/tr[th]")
    ]


def flash(response, kind: str) -> list[str]:
    doc = parse(response)
    return [text_of(el) for el in doc.xpath(f"//div[@class='flash {kind}']")]


def ids(*names: str) -> list[int]:
    return [tag_by_name(name).pk for name in names]


# --- The listing -------------------------------------------------------------------------------


def test_it_lists_the_fandoms_characters_with_counts_unwrangled_first(fandom, wrangler_client):
    assert rows(wrangler_client.get(DASHBOARD)) == [
        ("Holmes", "2", "unwrangled"),
        ("Mrs Hudson", "1", "unwrangled"),
        ("Sherlock Holmes", "1", "canonical"),
    ]


def test_it_counts_works_tagged_with_the_fandoms_synonyms(fandom, alice, wrangler_client):
    make_work(author=alice, fandoms=("Sherlock BBC",), characters=("Mrs Hudson",))
    do_make_synonym(tag_by_name("Sherlock BBC"), fandom)
    assert ("Mrs Hudson", "2", "unwrangled") in rows(wrangler_client.get(DASHBOARD))
    # The synonym's dashboard is its canonical's.
    response = wrangler_client.get("/wrangling/fandoms/Sherlock%20BBC")
    assert rows(response) == rows(wrangler_client.get(DASHBOARD))


def test_it_shows_relationships_and_freeforms(fandom, wrangler_client):
    relationships = rows(wrangler_client.get(f"{DASHBOARD}?show=relationships"))
    assert relationships == [("Holmes/Watson", "1", "unwrangled")]
    assert rows(wrangler_client.get(f"{DASHBOARD}?show=freeforms")) == [
        ("Fluff", "1", "unwrangled")
    ]


def test_it_filters_by_status(fandom, wrangler_client):
    do_make_synonym(tag_by_name("Holmes"), tag_by_name("Sherlock Holmes"))
    do_set_unwrangleable(tag_by_name("Mrs Hudson"), True)
    by_status = {
        status: [name for name, _, _ in rows(wrangler_client.get(f"{DASHBOARD}?status={status}"))]
        for status in ["unwrangled", "canonical", "synonymous", "unwrangleable"]
    }
    assert by_status == {
        "unwrangled": [],
        "canonical": ["Sherlock Holmes"],
        "synonymous": ["Holmes"],
        "unwrangleable": ["Mrs Hudson"],
    }


def test_it_pages_long_lists(fandom, alice, wrangler_client):
    make_work(author=alice, fandoms=(FANDOM,), characters=tuple(f"Extra {n:02}" for n in range(60)))
    first = rows(wrangler_client.get(DASHBOARD))
    second = rows(wrangler_client.get(f"{DASHBOARD}?page=2"))
    assert (len(first), len(second)) == (50, 13)
    assert not {name for name, _, _ in first} & {name for name, _, _ in second}


def test_the_dashboard_costs_the_same_however_many_rows(fandom, alice, wrangler_client):
    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert wrangler_client.get(path).status_code == 200
        return len(captured)

    few = count(DASHBOARD), count(f"{DASHBOARD}?status=unwrangled")
    fandom_tag = tag_by_name(FANDOM)
    for n in range(3):
        make_work(
            author=alice,
            fandoms=(FANDOM,),
            characters=tuple(f"Person {n}-{m}" for m in range(20)),
        )
    for tag in Tag.objects.filter(name__startswith="Person 1-"):
        CommonTagging.objects.create(parent=fandom_tag, child=tag)
    many = count(DASHBOARD), count(f"{DASHBOARD}?status=unwrangled")
    assert many == few
    assert max(many) <= 12


# --- Mass actions ------------------------------------------------------------------------------


def test_mass_make_canonical(fandom, wrangler_client, wrangler):
    response = wrangler_client.post(
        DASHBOARD, {"tags": ids("Holmes", "Mrs Hudson"), "action": "canonical"}
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert tag_by_name("Holmes").canonical and tag_by_name("Mrs Hudson").canonical
    events = WranglingEvent.objects.filter(action="canonical", actor=wrangler)
    assert sorted(e.tag.name for e in events) == ["Holmes", "Mrs Hudson"]
    follow = wrangler_client.get(DASHBOARD)
    assert "Wrangled 2 tags." in flash(follow, "notice")


def test_mass_make_synonym_refuses_a_row_and_does_the_others(fandom, wrangler_client):
    data = {
        "tags": ids("Holmes", "Sherlock Holmes", "Mrs Hudson"),
        "action": "synonym",
        "target": "Sherlock Holmes",
    }
    response = wrangler_client.post(f"{DASHBOARD}?show=characters", data)
    assert response.status_code == 200
    (error,) = flash(response, "error")
    assert "Sherlock Holmes: A tag can't be a synonym of itself." in error
    assert "Wrangled 2 tags." in flash(response, "notice")
    assert_form_shows(parse(response), data)
    sherlock = tag_by_name("Sherlock Holmes")
    assert tag_by_name("Holmes").merger == sherlock
    assert tag_by_name("Mrs Hudson").merger == sherlock
    assert sherlock.canonical and sherlock.merger is None


def test_mass_add_parent_fandom(fandom, wrangler_client, wrangler):
    data = {"tags": ids("Holmes", "Sherlock Holmes"), "action": "parent", "target": FANDOM}
    assert wrangler_client.post(DASHBOARD, data).status_code == 302
    children = CommonTagging.objects.filter(parent=fandom).values_list("child__name", flat=True)
    assert sorted(children) == ["Holmes", "Sherlock Holmes"]
    assert WranglingEvent.objects.filter(action="parent added", actor=wrangler).count() == 2
    assert ("Holmes", "2", "unwrangled") in rows(wrangler_client.get(DASHBOARD))
    fandoms = parse(wrangler_client.get(DASHBOARD)).xpath("//td[@class='fandoms']")
    assert [text_of(td) for td in fandoms] == [FANDOM, "none", FANDOM]


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        ({"action": "canonical"}, "Tick the tags to wrangle."),
        ({"tags": ["Holmes"], "action": "synonym", "target": ""}, "Type the name of the tag"),
        (
            {"tags": ["Holmes"], "action": "synonym", "target": "Sherlok"},
            "There is no tag named Sherlok.",
        ),
        (
            {"tags": ["Holmes"], "action": "parent", "target": "Sherlock Holmes"},
            "Sherlock Holmes is not a fandom.",
        ),
        ({"tags": ["Holmes"], "action": "explode"}, "Select a valid choice"),
        ({"tags": ["999999"], "action": "canonical"}, "no longer here"),
        # A relationship ticked on the characters page is not one of its rows.
        ({"tags": ["Holmes/Watson"], "action": "canonical"}, "no longer here"),
    ],
)
def test_a_bad_mass_action_changes_nothing(fandom, wrangler_client, data, expect):
    data = {**data}
    if "tags" in data:
        data["tags"] = [
            str(tag_by_name(name).pk) if tag_by_name(name) else name for name in data["tags"]
        ]
    before = taxonomy_snapshot()
    response = wrangler_client.post(DASHBOARD, data)
    assert response.status_code == 200
    (error,) = flash(response, "error")
    assert expect in error
    assert taxonomy_snapshot() == before
    doc = parse(response)
    if data.get("target"):
        assert_form_shows(doc, {"target": data["target"]})
    ticked = doc.xpath("//input[@name='tags'][@checked]/@value")
    shown = {str(pk) for pk in ids("Holmes", "Mrs Hudson", "Sherlock Holmes")}
    assert set(ticked) == set(data.get("tags", ())) & shown


def test_an_unwrangled_parent_fandom_refuses_every_row(fandom, wrangler_client):
    make_tag("Sherlock (Unwrangled)", TagType.FANDOM)
    before = taxonomy_snapshot()
    data = {
        "tags": ids("Holmes", "Mrs Hudson"),
        "action": "parent",
        "target": "Sherlock (Unwrangled)",
    }
    response = wrangler_client.post(DASHBOARD, data)
    (error,) = flash(response, "error")
    assert error.count("is not canonical, so it can't be a parent") == 2
    assert not flash(response, "notice")
    assert taxonomy_snapshot() == before
