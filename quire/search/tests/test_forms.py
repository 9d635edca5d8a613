"""Reading AO3's search parameters into a WorkQuery (search/forms.py)."""

import datetime

import pytest
from django.http import QueryDict

from quire.lib.numbers import LAST_PAGE
from quire.search.engines import Range
from quire.search.forms import parse_work_search
from quire.search.text import And, Not, Term
from quire.tags.actions import do_make_synonym
from quire.tags.models import Tag, TagType
from quire.works.models import Language

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)


def parsed(query: str, **options):
    return parse_work_search(QueryDict(query), now=NOW, **options)


def tag(name, tag_type=TagType.FANDOM, *, canonical=True):
    return Tag.objects.create(name=name, name_key=name.lower(), type=tag_type, canonical=canonical)


def test_no_parameters_is_a_default_listing():
    search = parsed("")
    assert search.query.sort == "revised_at" and not search.query.ascending
    assert search.query.text is None and search.errors == [] and not search.active


def test_sidebar_ids_include_and_exclude():
    fandom, other = tag("Tea Party"), tag("Cake Walk")
    search = parsed(
        f"include_work_search[fandom_ids][]={fandom.pk}&exclude_work_search[fandom_ids][]={other.pk}"
    )
    assert search.query.include_tag_ids == (fandom.pk,)
    assert search.query.exclude_tag_ids == (other.pk,)
    assert search.included == {fandom.pk} and search.excluded == {other.pk} and search.active


def test_a_synonyms_id_or_name_stands_for_its_canonical():
    canonical, synonym = tag("Tea Party"), tag("Tea Parties", canonical=False)
    do_make_synonym(synonym, canonical)
    # As if a posted work used it: a synonym no one may see is read as words (audience.py).
    Tag.objects.filter(pk=synonym.pk).update(shown_to_guests=True, shown_to_users=True)
    by_id = parsed(f"include_work_search[fandom_ids][]={synonym.pk}")
    by_name = parsed("work_search[other_tag_names]=tea parties")
    assert by_id.query.include_tag_ids == by_name.query.include_tag_ids == (canonical.pk,)


def test_a_name_that_cannot_be_filtered_on_searches_the_tags_words():
    tag("Loose Thread", TagType.FREEFORM, canonical=False)
    search = parsed(
        "work_search[other_tag_names]=Loose Thread&work_search[excluded_tag_names]=Gone"
    )
    assert search.query.text == And(
        (Term(("loose", "thread"), "tags"), Not(Term(("gone",), "tags")))
    )


def test_flags_language_and_single_chapter():
    search = parsed(
        "work_search[crossover]=F&work_search[complete]=T&work_search[single_chapter]=1"
        "&work_search[language_id]=en"
    )
    query = search.query
    assert (query.crossover, query.complete, query.single_chapter) == (False, True, True)
    assert query.language_id == Language.objects.get(code="en").pk


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1000", Range(1000, 1000)),
        ("<1000", Range(None, 999)),
        (">1,000", Range(1001, None)),
        ("10-20", Range(10, 20)),
        ("20 - 10", Range(10, 20)),
    ],
)
def test_number_ranges(raw, expected):
    assert parsed(f"work_search[kudos_count]={raw}").query.kudos == expected


def test_word_count_from_and_to_combine_with_the_range_field():
    query = parsed("work_search[words_from]=1,000&work_search[words_to]=5000").query
    assert query.words == Range(1000, 5000)


def test_dates_from_and_to_cover_whole_days():
    query = parsed("work_search[date_from]=2026-01-01&work_search[date_to]=2026-01-31").query
    start = int(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC).timestamp())
    end = int(datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC).timestamp()) - 1
    assert query.revised == Range(start, end)


def test_relative_dates():
    within = parsed("work_search[revised_at]=< 2 weeks ago").query.revised
    older = parsed("work_search[revised_at]=>1 year").query.revised
    assert within == Range(int((NOW - datetime.timedelta(weeks=2)).timestamp()), None)
    assert older == Range(None, int((NOW - datetime.timedelta(days=365)).timestamp()))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("work_search[words_from]=abc", "Words from: 'abc' isn't a whole number."),
        ("work_search[hits]=lots", "Hits: 'lots' isn't a number or range"),
        ("work_search[date_to]=31/01/2026", "Date updated to: '31/01/2026' isn't a date"),
        ("work_search[revised_at]=recently", "Date: 'recently' isn't a date range"),
        ("work_search[language_id]=xx", "There is no language with the code 'xx'."),
        ("include_work_search[fandom_ids][]=tea", "'tea' isn't a tag id."),
    ],
)
def test_what_cannot_be_read_is_named_and_left_out(query, message):
    search = parsed(query)
    assert any(error.startswith(message) for error in search.errors), search.errors
    assert search.query.words is None and search.query.include_tag_ids == ()


def test_the_mini_language_sets_ranges_and_sort_and_leaves_the_words():
    search = parsed("work_search[query]=tea words>1000 kudos:10-20 sort:>words hits<5 cake")
    query = search.query
    assert query.words == Range(1001, None)
    assert query.kudos == Range(10, 20)
    assert query.hits == Range(None, 4)
    assert (query.sort, query.ascending) == ("word_count", True)
    assert query.text == And((Term(("tea",)), Term(("cake",))))


def test_mini_language_relative_date():
    query = parsed("work_search[query]=revised_at:<1 week").query
    assert query.revised == Range(int((NOW - datetime.timedelta(weeks=1)).timestamp()), None)
    assert query.text is None


def test_sorts_and_directions():
    assert parsed("work_search[sort_column]=title_to_sort_on").query.ascending
    query = parsed("work_search[sort_column]=kudos_count&work_search[sort_direction]=asc").query
    assert (query.sort, query.ascending) == ("kudos_count", True)
    # Best Match belongs to the search page, and needs words to rank by.
    assert parsed("work_search[sort_column]=_score").query.sort == "revised_at"
    assert parsed("work_search[query]=tea", search_page=True).query.sort == "_score"
    assert parsed("work_search[title]=", search_page=True).query.sort == "revised_at"


def test_title_and_creators_fields_search_one_field():
    query = parsed("work_search[title]=tea&work_search[creators]=alice").query
    assert query.text == And((Term(("tea",), "title"), Term(("alice",), "creators")))


@pytest.mark.parametrize(
    ("raw", "page"), [("3", 3), ("abc", 1), ("-1", LAST_PAGE), ("0", LAST_PAGE)]
)
def test_page_numbers_read_as_djangos_paginator_reads_them(raw, page):
    assert parsed(f"page={raw}").query.page == page
