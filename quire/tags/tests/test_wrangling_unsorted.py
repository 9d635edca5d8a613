"""The unsorted bin: tags waiting for a type, with counts, sorted in bulk row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.tags.models import Tag, TagType, WranglingEvent
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, text_of
from quire.works.models import Tagging

from .wrangling_helpers import make_unsorted, taxonomy_snapshot

pytestmark = pytest.mark.django_db

BIN = "/wrangling/unsorted"


@pytest.fixture
def unsorted(alice):
    work = make_work(author=alice)
    other = make_work(author=alice, title="Another")
    popular, rare = make_unsorted("Popular Thing"), make_unsorted("Rare Thing")
    make_unsorted("Unused Thing")
    Tagging.objects.bulk_create(
        [
            Tagging(work=work, tag=popular),
            Tagging(work=other, tag=popular),
            Tagging(work=work, tag=rare),
        ]
    )
    return {"popular": popular, "rare": rare}


def rows(response) -> list[tuple[str, str]]:
    doc = parse(response)
    return [
        (text_of(row.xpath("./th/label")[0]), text_of(row.xpath("./td")[1]))
        for row in doc.xpath("//table[contains(@class,'unsorted')]/tbody/tr[th]")
    ]


def test_it_lists_unsorted_tags_most_used_first(unsorted, wrangler_client):
    assert rows(wrangler_client.get(BIN)) == [
        ("Popular Thing", "2"),
        ("Rare Thing", "1"),
        ("Unused Thing", "0"),
    ]


def test_it_gives_the_ticked_tags_a_type(unsorted, wrangler_client, wrangler):
    data = {"tags": [unsorted["popular"].pk, unsorted["rare"].pk], "type": "freeform"}
    response = wrangler_client.post(BIN, data)
    assert response.status_code == 302
    assert tag_by_name("Popular Thing").type == TagType.FREEFORM
    assert tag_by_name("Rare Thing").type == TagType.FREEFORM
    assert rows(wrangler_client.get(BIN)) == [("Unused Thing", "0")]
    events = WranglingEvent.objects.filter(action="type", actor=wrangler)
    assert sorted(e.detail for e in events) == ["Unsorted -> Additional Tags"] * 2


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        ({"type": "freeform"}, "Tick the tags to wrangle."),
        ({"tags": ["popular"], "type": "rating"}, "Select a valid choice"),
        ({"tags": ["popular"]}, "This field is required."),
        ({"tags": ["999999"], "type": "character"}, "no longer here"),
    ],
)
def test_a_bad_sort_changes_nothing_and_keeps_the_ticks(unsorted, wrangler_client, data, expect):
    data = {**data}
    data["tags"] = [str(unsorted[t].pk) if t in unsorted else t for t in data.get("tags", [])]
    before = taxonomy_snapshot()
    response = wrangler_client.post(BIN, data)
    assert response.status_code == 200
    doc = parse(response)
    (error,) = [text_of(el) for el in doc.xpath("//div[@class='flash error']")]
    assert expect in error
    assert taxonomy_snapshot() == before
    ticked = doc.xpath("//input[@name='tags'][@checked]/@value")
    assert set(ticked) == set(data["tags"]) & {str(t.pk) for t in unsorted.values()}


def test_a_tag_sorted_elsewhere_meanwhile_is_reported(unsorted, wrangler_client):
    # Between the page load and the submit, someone sorts one of the ticked tags.
    Tag.objects.filter(pk=unsorted["rare"].pk).update(type=TagType.CHARACTER)
    data = {"tags": [unsorted["popular"].pk, unsorted["rare"].pk], "type": "freeform"}
    response = wrangler_client.post(BIN, data)
    assert "no longer here" in text_of(parse(response).xpath("//div[@class='flash error']")[0])
    assert tag_by_name("Popular Thing").type == TagType.UNSORTED


def test_the_bin_costs_the_same_however_many_tags(unsorted, wrangler_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert wrangler_client.get(BIN).status_code == 200
        return len(captured)

    few = count()
    for n in range(40):
        make_unsorted(f"More {n}")
    assert count() == few <= 10
