"""The Sort and Filter sidebar on every listing (AO3.md §3, §9 "Filter sidebar"): AO3's exact
markup and parameter names, counts for what the viewer may see, each filter with a positive
and a negative case, typed values re-shown, and a query budget that does not grow with the
number of works."""

import datetime

import pytest

from quire.search.engines import MAX_RESULTS
from quire.tags.actions import do_find_or_create_tags, do_make_synonym, do_set_canonical
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import assert_form_shows, make_work, parse, set_work_fields, text_of

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_URL = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"
LONG_TEXT = "<p>" + " ".join(["word"] * 600) + "</p>"


def canonical(name: str, tag_type: TagType):
    tag = tag_by_name(name) or do_find_or_create_tags([name], tag_type)[0]
    return do_set_canonical(tag, True)


@pytest.fixture
def archive(alice):
    canonical(FANDOM, TagType.FANDOM)
    lizzy = canonical("Elizabeth Bennet", TagType.CHARACTER)
    jane = canonical("Jane Bennet", TagType.CHARACTER)
    tea = canonical("Tea", TagType.FREEFORM)
    teatime = do_find_or_create_tags(["Teatime"], TagType.FREEFORM)[0]
    do_make_synonym(teatime, tea)
    works = {
        "letters": make_work(
            author=alice,
            title="Morning Letters",
            characters=("Elizabeth Bennet",),
            freeforms=("Tea",),
        ),
        "walk": make_work(
            author=alice,
            title="Evening Walk",
            rating="Teen And Up Audiences",
            characters=("Jane Bennet",),
            freeforms=("Teatime",),
            text=LONG_TEXT,
        ),
        "visit": make_work(
            author=alice,
            title="Restricted Visit",
            restricted=True,
            characters=("Elizabeth Bennet",),
        ),
    }
    return {"works": works, "lizzy": lizzy, "jane": jane, "tea": tea}


def listed_titles(response) -> list[str]:
    doc = parse(response)
    return [text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/div/h4/a[1]")]


def heading(response) -> str:
    return text_of(parse(response).xpath("//div[@id='main']/h2[@class='heading']")[0])


def sidebar(response):
    forms = parse(response).xpath("//form[@id='work-filters']")
    assert len(forms) == 1
    return forms[0]


def facet_label(form, side: str, param: str, tag_id: int):
    labels = form.xpath(
        f".//label[@for='{side}_work_search_{param}_{tag_id}']",
    )
    assert len(labels) == 1, f"no {side} box for tag {tag_id}"
    return labels[0]


def test_the_sidebar_has_ao3s_markup_on_a_tag_listing(archive, client):
    form = sidebar(client.get(FANDOM_URL))
    assert form.get("class") == "narrow-hidden filters"
    assert form.get("method") == "get"
    assert form.xpath(".//input[@type='hidden'][@name='tag_id']/@value") == [FANDOM]
    select = form.xpath(".//select[@id='work_search_sort_column']")[0]
    assert select.get("name") == "work_search[sort_column]"
    assert select.xpath("./option/@value") == [
        "authors_to_sort_on",
        "title_to_sort_on",
        "created_at",
        "revised_at",
        "word_count",
        "hits",
        "kudos_count",
        "comments_count",
        "bookmarks_count",
    ]
    assert select.xpath("./option[@selected]/@value") == ["revised_at"]
    lizzy = archive["lizzy"].pk
    for side in ("include", "exclude"):
        label = facet_label(form, side, "character_ids", lizzy)
        box = label.xpath("./input")[0]
        assert box.get("id") == f"{side}_work_search_character_ids_{lizzy}"
        assert box.get("name") == f"{side}_work_search[character_ids][]"
        assert box.get("value") == str(lizzy)
        assert box.get("type") == "checkbox"
        assert box.get("checked") is None
        spans = label.xpath("./span")
        assert spans[0].get("class") == "indicator"
        assert text_of(spans[1]) == "Elizabeth Bennet (1)"
    names = [
        name
        for name in form.xpath(".//dd[@class='include']//input/@name")
        if name.startswith("include_")
    ]
    order = list(dict.fromkeys(names))
    assert order == [
        "include_work_search[rating_ids][]",
        "include_work_search[archive_warning_ids][]",
        "include_work_search[category_ids][]",
        "include_work_search[fandom_ids][]",
        "include_work_search[character_ids][]",
        "include_work_search[freeform_ids][]",
    ]
    for name in (
        "work_search[other_tag_names]",
        "work_search[excluded_tag_names]",
        "work_search[words_from]",
        "work_search[words_to]",
        "work_search[query]",
    ):
        assert form.xpath(".//input[@type='text'][@name=$name]", name=name), name
    assert form.xpath(".//input[@type='date']/@name") == [
        "work_search[date_from]",
        "work_search[date_to]",
    ]
    assert form.xpath(".//input[@name='work_search[crossover]']/@value") == ["", "F", "T"]
    assert form.xpath(".//input[@name='work_search[complete]']/@value") == ["", "T", "F"]
    assert form.xpath(".//input[@name='work_search[single_chapter]']/@value") == ["1"]
    languages = form.xpath(".//select[@name='work_search[language_id]']/option/@value")
    assert "en" in languages and "ptBR" in languages
    assert form.xpath(".//input[@type='submit']/@value") == ["Sort and Filter"]
    assert form.xpath(".//a[text()='Clear Filters']/@href") == [FANDOM_URL]


def test_rating_is_a_radio_button_only_when_more_than_one_rating_is_listed(archive, client):
    form = sidebar(client.get(FANDOM_URL))
    assert set(form.xpath(".//input[@name='include_work_search[rating_ids][]']/@type")) == {"radio"}
    assert set(form.xpath(".//input[@name='exclude_work_search[rating_ids][]']/@type")) == {
        "checkbox"
    }
    one_rating = sidebar(client.get(FANDOM_URL, {"work_search[query]": "Morning"}))
    assert one_rating.xpath(".//input[@name='include_work_search[rating_ids][]']/@type") == [
        "checkbox"
    ]


def test_counts_never_include_restricted_works_for_guests(archive, viewers):
    lizzy = archive["lizzy"].pk
    expected = {"guest": "(1)", "bob": "(2)", "alice": "(2)", "admin": "(2)"}
    for viewer, count in expected.items():
        response = viewers[viewer].get(FANDOM_URL)
        label = facet_label(sidebar(response), "include", "character_ids", lizzy)
        assert text_of(label).endswith(count), viewer
        assert heading(response).startswith("2 Works" if viewer == "guest" else "3 Works")


def test_a_ticked_include_box_narrows_the_listing_and_stays_ticked(archive, client):
    lizzy = archive["lizzy"].pk
    response = client.get(FANDOM_URL, {"include_work_search[character_ids][]": lizzy})
    assert listed_titles(response) == ["Morning Letters"]
    box = facet_label(sidebar(response), "include", "character_ids", lizzy).xpath("./input")[0]
    assert box.get("checked") is not None


def test_a_ticked_exclude_box_leaves_those_works_out_and_stays_ticked(archive, bob_client):
    lizzy = archive["lizzy"].pk
    response = bob_client.get(FANDOM_URL, {"exclude_work_search[character_ids][]": lizzy})
    assert listed_titles(response) == ["Evening Walk"]
    box = facet_label(sidebar(response), "exclude", "character_ids", lizzy).xpath("./input")[0]
    assert box.get("checked") is not None


def test_other_tags_by_a_synonyms_name_find_the_canonicals_works(archive, client):
    response = client.get("/works", {"work_search[other_tag_names]": "Teatime"})
    assert sorted(listed_titles(response)) == ["Evening Walk", "Morning Letters"]
    response = client.get("/works", {"work_search[other_tag_names]": "Jane Bennet"})
    assert listed_titles(response) == ["Evening Walk"]
    assert_form_shows(parse(response), {"work_search[other_tag_names]": "Jane Bennet"})


def test_excluded_tag_names_leave_those_works_out(archive, client):
    response = client.get("/works", {"work_search[excluded_tag_names]": "Tea"})
    assert listed_titles(response) == []
    response = client.get("/works", {"work_search[excluded_tag_names]": "Jane Bennet"})
    assert listed_titles(response) == ["Morning Letters"]


def test_the_crossover_filter(archive, client):
    set_work_fields(archive["works"]["walk"], crossover=True)
    assert listed_titles(client.get("/works", {"work_search[crossover]": "T"})) == ["Evening Walk"]
    assert listed_titles(client.get("/works", {"work_search[crossover]": "F"})) == [
        "Morning Letters"
    ]
    response = client.get("/works", {"work_search[crossover]": ""})
    assert len(listed_titles(response)) == 2
    assert form_checked(response, "work_search[crossover]") == [""]


def form_checked(response, name: str) -> list[str]:
    return sidebar(response).xpath(".//input[@name=$name][@checked]/@value", name=name)


def test_the_complete_filter(archive, client):
    set_work_fields(archive["works"]["walk"], complete=False)
    response = client.get("/works", {"work_search[complete]": "T"})
    assert listed_titles(response) == ["Morning Letters"]
    assert form_checked(response, "work_search[complete]") == ["T"]
    assert listed_titles(client.get("/works", {"work_search[complete]": "F"})) == ["Evening Walk"]


def test_the_single_chapter_filter(archive, alice, client):
    make_work(author=alice, title="Two Parts", chapters=2)
    assert "Two Parts" in listed_titles(client.get("/works"))
    response = client.get("/works", {"work_search[single_chapter]": "1"})
    assert "Two Parts" not in listed_titles(response)
    assert len(listed_titles(response)) == 2
    assert form_checked(response, "work_search[single_chapter]") == ["1"]


def test_the_word_count_range(archive, client):
    response = client.get("/works", {"work_search[words_from]": "500"})
    assert listed_titles(response) == ["Evening Walk"]
    response = client.get("/works", {"work_search[words_to]": "500"})
    assert listed_titles(response) == ["Morning Letters"]
    assert_form_shows(parse(response), {"work_search[words_to]": "500"})


def test_the_date_updated_range(archive, client):
    long_ago = datetime.datetime(2020, 5, 17, 12, 0, tzinfo=datetime.UTC)
    set_work_fields(archive["works"]["walk"], revised_at=long_ago)
    data = {"work_search[date_from]": "2020-05-01", "work_search[date_to]": "2020-05-31"}
    response = client.get("/works", data)
    assert listed_titles(response) == ["Evening Walk"]
    assert_form_shows(parse(response), data)
    assert listed_titles(client.get("/works", {"work_search[date_from]": "2020-06-01"})) == [
        "Morning Letters"
    ]


def test_the_language_filter(archive, alice, client):
    make_work(author=alice, title="Lettres du matin", language="fr")
    response = client.get("/works", {"work_search[language_id]": "fr"})
    assert listed_titles(response) == ["Lettres du matin"]
    assert sidebar(response).xpath(
        ".//select[@name='work_search[language_id]']/option[@selected]/@value"
    ) == ["fr"]
    assert "Lettres du matin" not in listed_titles(
        client.get("/works", {"work_search[language_id]": "en"})
    )


def test_search_within_results(archive, client):
    response = client.get(FANDOM_URL, {"work_search[query]": "Morning"})
    assert listed_titles(response) == ["Morning Letters"]
    assert_form_shows(parse(response), {"work_search[query]": "Morning"})
    assert listed_titles(client.get(FANDOM_URL, {"work_search[query]": "Nonexistentword"})) == []


def test_sorting_by_title_and_by_word_count(archive, client):
    response = client.get("/works", {"work_search[sort_column]": "title_to_sort_on"})
    assert listed_titles(response) == ["Evening Walk", "Morning Letters"]
    assert sidebar(response).xpath(".//option[@selected]/@value")[0] == "title_to_sort_on"
    response = client.get("/works", {"work_search[sort_column]": "word_count"})
    assert listed_titles(response) == ["Evening Walk", "Morning Letters"]
    # Best Match is for the search page only; a listing falls back to Date Updated.
    response = client.get("/works", {"work_search[sort_column]": "_score"})
    assert sidebar(response).xpath(".//option[@selected]/@value")[0] == "revised_at"


def test_unreadable_values_are_named_in_a_flash_error_and_kept_in_the_form(archive, client):
    data = {
        "work_search[words_from]": "abc",
        "work_search[words_to]": "20000",
        "work_search[query]": "Letters",
        "work_search[other_tag_names]": "Tea",
        "work_search[complete]": "T",
        "work_search[crossover]": "F",
    }
    response = client.get(FANDOM_URL, data)
    assert response.status_code == 200
    doc = parse(response)
    errors = doc.xpath("//div[@id='main']/div[@class='flash error']")
    assert len(errors) == 1
    assert "abc" in text_of(errors[0])
    assert_form_shows(doc, data)
    assert listed_titles(response) == ["Morning Letters"]


def test_the_heading_counts_every_match_and_says_when_paging_is_capped(
    archive, client, monkeypatch
):
    assert heading(client.get(FANDOM_URL)) == f"2 Works in {FANDOM}"
    monkeypatch.setattr("quire.search.queries.MAX_RESULTS", 1)
    response = client.get(FANDOM_URL)
    assert "first 100,000 results" in text_of(parse(response))
    assert MAX_RESULTS == 100_000


def test_page_links_keep_every_filter(archive, alice, client):
    for number in range(21):
        make_work(author=alice, title=f"Note {number}", characters=("Elizabeth Bennet",))
    lizzy, jane = archive["lizzy"].pk, archive["jane"].pk
    response = client.get(
        "/works",
        {
            "exclude_work_search[character_ids][]": [jane, 999999],
            "work_search[query]": "Note",
        },
    )
    assert heading(response) == "1 - 20 of 21 Works"
    href = parse(response).xpath("//li[@class='next']/a/@href")[0]
    assert href.count("exclude_work_search%5Bcharacter_ids%5D%5B%5D=") == 2
    assert "work_search%5Bquery%5D=Note" in href and href.endswith("page=2")
    second = client.get("/works" + href)
    assert heading(second) == "21 - 21 of 21 Works"
    assert lizzy  # the works on page two are Elizabeth's


@pytest.mark.parametrize("extra", [0, 20])
def test_a_listing_with_its_sidebar_has_a_fixed_query_budget(
    alice, bob_client, django_assert_max_num_queries, extra
):
    canonical(FANDOM, TagType.FANDOM)
    for number in range(5 + extra):
        make_work(
            author=alice,
            title=f"Budget {number}",
            characters=(f"Person {number % 7}",),
            freeforms=(f"Theme {number % 5}",),
        )
    # 14, and one for the header's unread inbox count (social.queries.inbox_unread_count).
    with django_assert_max_num_queries(15):
        response = bob_client.get(
            FANDOM_URL,
            {"work_search[query]": "Budget", "work_search[words_from]": "1"},
        )
    assert response.status_code == 200
    assert len(listed_titles(response)) == min(20, 5 + extra)
