"""Bad input in a listing's or the search page's parameters (issue 11): numbers past what the
database or the tag packs hold, out-of-range dates and deeply nested queries are named in a
message, clamped or left out, and the rest of the search still applies. Never a 500."""

import datetime

import pytest
from django.http import QueryDict

from quire.lib.numbers import LAST_PAGE
from quire.search.engines import Range
from quire.search.forms import parse_work_search
from quire.search.text import parse_query
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, text_of

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_URL = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
HUGE = "99999999999999999999"  # past 64 bits
INT64_MAX = 2**63 - 1  # the databases' integers
# Every listing that reads the sidebar's parameters: the archive's (SQL plan), a canonical
# tag's (numpy over the tag packs), the search page, a creator's, and an unwrangled tag's page.
LISTINGS = ("/works", FANDOM_URL, "/works/search", "/users/alice/works", "/tags/Loose%20Thread")
COUNT_PARAMS = {
    "work_search[word_count]": "Word count",
    "work_search[hits]": "Hits",
    "work_search[kudos_count]": "Kudos",
    "work_search[comments_count]": "Comments",
    "work_search[bookmarks_count]": "Bookmarks",
    "work_search[words_from]": "Words from",
    "work_search[words_to]": "Words to",
}
ID_PARAMS = (
    "include_work_search[fandom_ids][]",
    "exclude_work_search[freeform_ids][]",
    "include_work_search[rating_ids]",
    "work_search[rating_ids][]",
    "work_search[archive_warning_ids][]",
    "work_search[category_ids]",
)


@pytest.fixture
def archive(alice):
    fandom = do_set_canonical(
        tag_by_name(FANDOM) or do_find_or_create_tags([FANDOM], TagType.FANDOM)[0], True
    )
    return {
        "fandom": fandom,
        "letters": make_work(author=alice, title="Morning Letters", freeforms=("Loose Thread",)),
        "walk": make_work(author=alice, title="Evening Walk", freeforms=("Loose Thread",)),
    }


def parsed(query: str, **options):
    return parse_work_search(QueryDict(query), now=NOW, **options)


def errors_of(response) -> list[str]:
    return [text_of(div) for div in parse(response).xpath("//div[@class='flash error']")]


def titles(response) -> list[str]:
    doc = parse(response)
    return sorted(text_of(a) for a in doc.xpath("//ol[contains(@class, 'index')]/li//h4/a[1]"))


def get(client, path: str, params: dict):
    response = client.get(path, params)
    assert response.status_code == 200, (path, params, response.status_code)
    return response


# --- Numbers past 64 bits, NaN, inf, 1e400 in the count filters ------------------------------


@pytest.mark.parametrize(
    "raw", [HUGE, f"<{HUGE}", f">{HUGE}", f"1-{HUGE}", "NaN", "inf", "1e400", "²", "١٢"]
)
def test_a_count_filter_past_64_bits_is_no_error_page(archive, client, raw):
    for path in LISTINGS:
        response = get(
            client, path, {**dict.fromkeys(COUNT_PARAMS, raw), "work_search[query]": "x"}
        )
        assert errors_of(response), path


@pytest.mark.parametrize("param", [name for name in COUNT_PARAMS if "words_from" not in name])
def test_a_count_past_64_bits_is_clamped_named_and_the_rest_applies(archive, client, param):
    # "at most HUGE" clamps to the largest count the database holds: every work qualifies.
    raw = f"0-{HUGE}" if param != "work_search[words_to]" else HUGE
    for path in ("/works", FANDOM_URL, "/works/search"):
        response = get(client, path, {param: raw, "work_search[query]": "Letters"})
        assert titles(response) == ["Morning Letters"], path
        (error,) = errors_of(response)
        assert error.startswith(COUNT_PARAMS[param]), error
        assert f"{INT64_MAX:,}" in error


@pytest.mark.parametrize(
    ("query", "attribute", "expected"),
    [
        (f"work_search[kudos_count]=>{HUGE}", "kudos", Range(INT64_MAX, None)),
        (f"work_search[hits]=<{HUGE}", "hits", Range(None, INT64_MAX - 1)),
        (f"work_search[hits]=-{HUGE}", "hits", None),
        (f"work_search[word_count]={HUGE}-3", "words", Range(3, INT64_MAX)),
        (f"work_search[words_from]={HUGE}", "words", Range(INT64_MAX, None)),
        (f"work_search[words_to]={HUGE}&work_search[words_from]=5", "words", Range(5, INT64_MAX)),
        (f"work_search[query]=words>{HUGE}", "words", Range(INT64_MAX, None)),
        (f"work_search[query]=kudos:<{HUGE}", "kudos", Range(None, INT64_MAX - 1)),
        (f"work_search[query]=bookmarks:{HUGE}-{HUGE}0", "bookmarks", Range(INT64_MAX, INT64_MAX)),
    ],
)
def test_the_form_clamps_counts_to_64_bits(query, attribute, expected):
    search = parsed(query)
    assert getattr(search.query, attribute) == expected
    assert len(search.errors) == 1, search.errors


@pytest.mark.parametrize("raw", ["²", "١٢", "1e400", "NaN", "inf", "-inf", "0x10"])
@pytest.mark.parametrize("name", ["words_from", "words_to", "kudos_count"])
def test_what_only_looks_like_a_number_is_named_and_left_out(name, raw):
    params = QueryDict(mutable=True)
    params[f"work_search[{name}]"] = raw
    search = parse_work_search(params, now=NOW)
    assert search.query.words is None and search.query.kudos is None
    assert len(search.errors) == 1 and repr(raw) in search.errors[0], search.errors


@pytest.mark.parametrize("raw", ["<1e400", "1.5", "NaN", "1e4-2"])
def test_mini_language_numbers_that_are_not_whole_numbers_are_named(raw):
    search = parsed(f"work_search[query]=tea kudos:{raw} cake")
    assert search.query.kudos is None
    (error,) = search.errors
    assert error.startswith("Kudos:") and repr(raw) in error, error
    assert search.query.text == parse_query("tea cake")


# --- Tag ids past 32 bits --------------------------------------------------------------------


@pytest.mark.parametrize("raw", [HUGE, str(2**32), str(2**63), "-1", "²", "1e400", "NaN"])
def test_a_tag_id_past_32_bits_is_no_error_page(archive, client, raw):
    for path in LISTINGS:
        response = get(client, path, dict.fromkeys(ID_PARAMS, raw))
        assert len(errors_of(response)) == len(ID_PARAMS), path


def test_a_tag_id_past_32_bits_is_named_and_the_rest_of_the_search_applies(archive, client):
    # No tag can have such an id (the packs hold uint32), so it is left out, as "tea" is.
    for side in ("include", "exclude"):
        params = {
            f"{side}_work_search[fandom_ids][]": [str(archive["fandom"].pk), HUGE],
            "work_search[query]": "Letters",
        }
        for path in ("/works", FANDOM_URL, "/works/search"):
            response = get(client, path, params)
            (error,) = errors_of(response)
            assert HUGE in error, error
            assert titles(response) == ([] if side == "exclude" else ["Morning Letters"]), path


def test_the_form_keeps_tag_ids_within_uint32():
    search = parsed(
        f"include_work_search[fandom_ids][]={2**32 - 1}&include_work_search[fandom_ids][]={2**32}"
        f"&work_search[rating_ids][]={HUGE}&exclude_work_search[freeform_ids][]=²"
    )
    assert search.query.include_tag_ids == (2**32 - 1,)
    assert search.query.exclude_tag_ids == ()
    assert len(search.errors) == 3, search.errors


def test_repeated_tag_ids_are_capped_on_every_list():
    ratings = "&".join(f"work_search[rating_ids][]={n}" for n in range(1, 1001))
    search = parsed(ratings)
    assert len(search.query.include_tag_ids) <= 200
    assert any("Only the first 200" in error for error in search.errors), search.errors


# --- Page numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [HUGE, f"-{HUGE}", str(2**63), "NaN", "inf", "1e400", "²", "9" * 5000, ""]
)
def test_a_page_number_past_64_bits_is_no_error_page(archive, client, raw):
    for path in (*LISTINGS, "/tags?tag_search[name]=a", "/fandoms"):
        get(client, path, {"page": raw})


@pytest.mark.parametrize("raw", [HUGE, str(2**63), "9" * 5000])
def test_a_page_past_the_end_is_the_last_page(raw):
    assert parsed(f"page={raw}").query.page == LAST_PAGE


@pytest.mark.parametrize("raw", ["NaN", "inf", "1e400", "²", "", "1.5"])
def test_a_page_that_is_no_number_is_the_first(raw):
    assert parsed(f"page={raw}").query.page == 1


# --- Dates out of range ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"work_search[revised_at]": "<99999 years"},
        {"work_search[revised_at]": ">99999 years"},
        {"work_search[query]": "revised_at:<99999 years"},
        {"work_search[query]": "created_at:>99999 years ago"},
        {"work_search[date_from]": "0000-01-01"},
        {"work_search[date_to]": "99999-12-31"},
        {"work_search[date_from]": "0001-01-01", "work_search[date_to]": "9999-12-31"},
    ],
)
def test_a_date_out_of_range_is_no_error_page(archive, client, params):
    for path in LISTINGS:
        get(client, path, params)


def test_a_relative_date_past_year_one_is_named_and_clamped():
    search = parsed("work_search[revised_at]=<99999 years")
    (error,) = search.errors
    assert error.startswith("Date:"), error
    # Within the last 99,999 years: everything since the earliest date there is.
    assert search.query.revised == Range(low=FIRST_SECOND, high=None)
    search = parsed("work_search[query]=created_at:>99999 years tea")
    (error,) = search.errors
    assert error.startswith("created_at:"), error
    assert search.query.published == Range(low=None, high=FIRST_SECOND)


FIRST_SECOND = int(datetime.datetime(1, 1, 1, tzinfo=datetime.UTC).timestamp())


def test_dates_outside_the_calendar_are_named():
    search = parsed("work_search[date_from]=0000-01-01&work_search[date_to]=99999-12-31")
    assert len(search.errors) == 2
    assert search.errors[0].startswith("Date updated from:")
    assert search.errors[1].startswith("Date updated to:")
    assert search.query.revised is None


# --- Deeply nested queries -------------------------------------------------------------------

DEEP_QUERIES = [
    "(" * 300 + "letters",
    "(" * 300 + "letters" + ")" * 300,
    ")" * 300 + "letters",
    ")(" * 300 + "letters",
    "(NOT " * 300 + "letters",
    "NOT " * 1500 + "letters",
    "-(" * 300 + "letters",
    "title:" * 1500 + "letters",
    '("' * 300 + "letters",
    "(a OR " * 300 + "letters",
    "((" * 200 + "letters" + "))" * 200 + " evening",
]


@pytest.mark.parametrize("query", DEEP_QUERIES)
def test_a_deeply_nested_query_is_no_error_page(archive, client, query):
    params = {f"work_search[{name}]": query for name in ("query", "title", "creators")}
    for path in LISTINGS:
        get(client, path, params)


@pytest.mark.parametrize("query", DEEP_QUERIES)
def test_the_parser_bounds_nesting(query):
    depth = _depth(parse_query(query))
    assert depth <= 40, depth


def test_three_hundred_brackets_still_find_the_words(archive, client):
    response = get(client, "/works", {"work_search[query]": "(" * 300 + "letters"})
    assert titles(response) == ["Morning Letters"]
    (error,) = errors_of(response)
    assert "brackets" in error
    response = get(client, "/works", {"work_search[query]": ")" * 300 + "letters"})
    assert titles(response) == ["Morning Letters"]


def test_shallow_nesting_is_read_as_before():
    assert parse_query("(a OR (b c))") == parse_query("a OR (b c)")
    search = parsed("work_search[query]=" + "(" * 10 + "tea" + ")" * 10)
    assert search.errors == []


def _depth(node) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        node, depth = stack.pop()
        if node is None:
            continue
        deepest = max(deepest, depth)
        if hasattr(node, "child"):
            stack.append((node.child, depth + 1))
        for child in getattr(node, "children", ()):
            stack.append((child, depth + 1))
    return deepest


# --- Very many words, names and ids ----------------------------------------------------------


def test_a_thousand_negated_words_are_cut_to_the_first_hundred(archive, client):
    # Each negated word is a condition of its own; SQLite refuses an expression 1,000 deep.
    query = " ".join(f"-w{number}" for number in range(1500)) + " letters"
    for path in LISTINGS:
        response = get(client, path, {"work_search[query]": query})
        assert any("only the first 100 words" in error for error in errors_of(response)), path


def test_a_thousand_typed_tag_names_are_cut_to_the_first_75(archive, client):
    names = ", ".join(f"Gone {number}" for number in range(1500))
    for path in LISTINGS:
        response = get(client, path, {"work_search[excluded_tag_names]": names})
        (error,) = errors_of(response)
        assert error.startswith("Excluded tag names: only the first 75"), error


def test_typed_tag_names_are_looked_up_in_one_query(archive, django_assert_num_queries):
    names = ", ".join(f"Name {number}" for number in range(60))
    with django_assert_num_queries(1):
        parsed(f"work_search[other_tag_names]={names}&work_search[excluded_tag_names]={names}")


@pytest.mark.parametrize(
    "params",
    [
        {"work_search[language_id]": "en\x00"},
        {"work_search[other_tag_names]": "Tea\x00, Cake"},
        {"work_search[fandom_names]": "\x00"},
        {"work_search[query]": "tea\x00 words>\x00"},
    ],
)
def test_a_nul_byte_is_no_error_page(archive, client, params):
    # PostgreSQL refuses NUL in any text it is sent.
    for path in LISTINGS:
        get(client, path, params)


@pytest.mark.parametrize(
    "params",
    [
        {"tag_id": "Tea\x00"},
        {"user_id": "alice\x00"},
        {"user_id": "alice", "pseud_id": "\x00"},
    ],
)
def test_a_nul_byte_in_a_listings_subject_is_a_404(archive, client, params):
    # AO3's /works?tag_id=<name>&user_id=<login>: no name or login holds a NUL.
    assert client.get("/works", params).status_code == 404


def test_a_nul_byte_in_the_tag_search_finds_nothing(archive, client):
    response = get(client, "/tags", {"tag_search[name]": "Pride\x00"})
    assert parse(response).xpath("//ol[@class='tag index group']/li/@class") == ["empty"]
