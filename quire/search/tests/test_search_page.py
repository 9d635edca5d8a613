"""The advanced search at /works/search (AO3.md §8, §9): the form with AO3's field names, and
with parameters the results under "... Works found", the form again with its values, and the
sidebar."""

import pytest

from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.testing import assert_form_shows, fixed_tag_id, make_user, make_work, parse, text_of

pytestmark = pytest.mark.django_db

FIELDS = [
    "work_search[query]",
    "work_search[title]",
    "work_search[creators]",
    "work_search[revised_at]",
    "work_search[complete]",
    "work_search[crossover]",
    "work_search[single_chapter]",
    "work_search[word_count]",
    "work_search[language_id]",
    "work_search[fandom_names]",
    "work_search[rating_ids]",
    "work_search[archive_warning_ids][]",
    "work_search[category_ids][]",
    "work_search[character_names]",
    "work_search[relationship_names]",
    "work_search[freeform_names]",
    "work_search[hits]",
    "work_search[kudos_count]",
    "work_search[comments_count]",
    "work_search[bookmarks_count]",
    "work_search[sort_column]",
    "work_search[sort_direction]",
]


@pytest.fixture
def archive(alice):
    hobbit = make_user("hobbitfan")
    for name in ("Pride and Prejudice - Jane Austen", "Emma - Jane Austen"):
        do_set_canonical(do_find_or_create_tags([name], TagType.FANDOM)[0], True)
    return {
        "garden": make_work(author=alice, title="The Walled Garden"),
        "emma": make_work(
            author=hobbit,
            title="Picnic at Box Hill",
            fandoms=("Emma - Jane Austen",),
            text="<p>" + " ".join(["picnic"] * 1500) + "</p>",
        ),
        "restricted": make_work(author=alice, title="Garden Party", restricted=True),
    }


def found(response) -> list[str]:
    doc = parse(response)
    return [text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/div/h4/a[1]")]


def heading(response) -> str:
    return text_of(parse(response).xpath("//div[@id='main']/h2[@class='heading']")[0])


def test_the_search_page_shows_the_form_with_ao3s_field_names(archive, viewers):
    for viewer, client in viewers.items():
        response = client.get("/works/search")
        assert response.status_code == 200, viewer
        doc = parse(response)
        assert doc.xpath("//div[@id='main']/@class") == ["works-search region"]
        form = doc.xpath("//form[@id='work_search_form']")[0]
        assert form.get("method") == "get" and form.get("action") == "/works/search"
        for name in FIELDS:
            assert form.xpath(".//*[@name=$name]", name=name), name
        sorts = form.xpath(".//select[@name='work_search[sort_column]']/option/@value")
        assert sorts[0] == "_score"
        assert len(form.xpath(".//input[@name='work_search[archive_warning_ids][]']")) == 6
        assert "words>1000" in text_of(doc) and "revised_at:<2 weeks" in text_of(doc)
        assert not doc.xpath("//ol[@class='work index group']")


def test_searching_by_title_lists_results_with_the_form_and_the_sidebar(archive, client):
    data = {"work_search[title]": "garden", "work_search[sort_column]": "_score"}
    response = client.get("/works/search", data)
    assert found(response) == ["The Walled Garden"]
    assert heading(response) == "1 Work found"
    doc = parse(response)
    form = doc.xpath("//form[@id='edit_work_search_form']")[0]
    assert form.xpath(".//input[@name='work_search[title]']/@value") == ["garden"]
    sidebar = doc.xpath("//form[@id='work-filters']")[0]
    assert sidebar.xpath(".//input[@type='hidden'][@name='work_search[title]']/@value") == [
        "garden"
    ]
    assert "_score" in sidebar.xpath(".//select[@id='work_search_sort_column']/option/@value")


def test_logged_in_readers_find_restricted_works_and_guests_do_not(archive, viewers):
    for viewer, client in viewers.items():
        titles = found(client.get("/works/search", {"work_search[query]": "garden"}))
        expected = {"The Walled Garden"} | ({"Garden Party"} if viewer != "guest" else set())
        assert set(titles) == expected, viewer


def test_searching_by_creator(archive, client):
    response = client.get("/works/search", {"work_search[creators]": "hobbitfan"})
    assert found(response) == ["Picnic at Box Hill"]
    assert found(client.get("/works/search", {"work_search[creators]": "nobodyhere"})) == []


def test_searching_by_fandom_names(archive, client):
    response = client.get("/works/search", {"work_search[fandom_names]": "Emma - Jane Austen"})
    assert found(response) == ["Picnic at Box Hill"]
    assert_form_shows(parse(response), {"work_search[fandom_names]": "Emma - Jane Austen"}, skip=())


def test_searching_by_rating_and_category(archive, client):
    gen = fixed_tag_id("Gen")
    response = client.get("/works/search", {"work_search[category_ids][]": gen})
    assert len(found(response)) == 2
    teen = fixed_tag_id("Teen And Up Audiences")
    assert found(client.get("/works/search", {"work_search[rating_ids]": teen})) == []


def test_the_mini_language_in_any_field(archive, client):
    response = client.get("/works/search", {"work_search[query]": "words>1000"})
    assert found(response) == ["Picnic at Box Hill"]
    response = client.get("/works/search", {"work_search[query]": "words<1000 sort:>words"})
    assert found(response) == ["The Walled Garden"]
    response = client.get("/works/search", {"work_search[query]": '"walled garden"'})
    assert found(response) == ["The Walled Garden"]
    response = client.get("/works/search", {"work_search[query]": "picnic OR walled"})
    assert sorted(found(response)) == ["Picnic at Box Hill", "The Walled Garden"]
    response = client.get("/works/search", {"work_search[query]": "revised_at:<2 weeks"})
    assert len(found(response)) == 2


def test_a_bad_stat_range_is_a_flash_error_and_the_typed_text_is_kept(archive, client):
    response = client.get("/works/search", {"work_search[hits]": "lots", "work_search[title]": "x"})
    doc = parse(response)
    assert "lots" in text_of(doc.xpath("//div[@class='flash error']")[0])
    form = doc.xpath("//form[@id='edit_work_search_form']")[0]
    assert form.xpath(".//input[@name='work_search[hits]']/@value") == ["lots"]


def test_works_search_is_not_taken_for_a_work(archive, client):
    assert client.get("/works/search").status_code == 200
    assert client.get(f"/works/{archive['garden'].pk}").status_code == 200
