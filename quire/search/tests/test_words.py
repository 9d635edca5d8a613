"""Words in listings: the same answer whichever way the database is asked (reading a word's
whole list, or looking each of a tag's works up in it), on every database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.search.engines import REGISTERED, WorkQuery, fulltext, get_engine
from quire.search.text import parse_query
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.testing import make_work

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"


@pytest.fixture
def archive(alice):
    fandom = do_set_canonical(do_find_or_create_tags([FANDOM], TagType.FANDOM)[0], True)
    works = {
        "letters": make_work(author=alice, title="Letters Home", summary="A window, a letter."),
        "window": make_work(author=alice, title="The Window", summary="Rain on glass."),
        "plain": make_work(author=alice, title="Plain Morning", notes="No letters today."),
        "elsewhere": make_work(author=alice, title="Letters Elsewhere", fandoms=("Emma",)),
    }
    return fandom, works


@pytest.mark.parametrize("probe_cost", [0, 10**9], ids=["look-up", "whole-list"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("letters", {"letters", "plain"}),
        ("window -rain", {"letters"}),
        ('"a letter" OR glass', {"letters", "window"}),
        ("NOT letters", {"window"}),
        ("title:letters", {"letters"}),
    ],
)
def test_a_tags_works_match_words_the_same_either_way(
    archive, monkeypatch, probe_cost, text, expected
):
    fandom, works = archive
    monkeypatch.setattr(fulltext, "PROBE_COST", probe_cost)
    monkeypatch.setattr(fulltext, "_frequencies", {})
    query = WorkQuery(tag_id=fandom.pk, text=parse_query(text))
    for facets in (True, False):
        with CaptureQueriesContext(connection) as captured:
            result = get_engine().query(query, audience=REGISTERED, facets=facets)
        assert set(result.ids) == {works[name].pk for name in expected}
        assert result.total == len(expected)
        looked_up = any("rowid = d.work_id" in query["sql"] for query in captured)
        assert looked_up == (probe_cost == 0 and connection.vendor == "sqlite")
