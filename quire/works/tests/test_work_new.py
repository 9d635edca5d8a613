"""Posting a work: /works/new (AO3.md §6 limits, §2 tag rules, §4 word counts)."""

import pytest

from quire.accounts.actions import do_create_pseud
from quire.conftest import client_for
from quire.tags.models import Tag
from quire.testing import (
    assert_form_shows,
    fixed_tag_id,
    parse,
    row_counts,
    text_of,
    work_form_data,
)
from quire.works.models import Chapter, Creatorship, SerialWork, Series, Tagging, Work

pytestmark = pytest.mark.django_db

SAVED_ROWS = (Work, Chapter, Tagging, Tag, Creatorship, Series, SerialWork)


@pytest.fixture
def alice_client(alice):
    return client_for(alice)


def test_guests_are_sent_to_log_in_before_posting(client):
    response = client.get("/works/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=/works/new")
    assert client.post("/works/new", {"title": "x"}).status_code == 302
    assert Work.objects.count() == 0


def test_the_form_starts_with_the_default_pseud_english_and_one_chapter(alice, alice_client):
    doc = parse(alice_client.get("/works/new"))
    assert doc.xpath("//div[@id='main']/@class") == ["works-new region"]
    default = alice.pseuds.get(is_default=True)
    assert doc.xpath("//input[@name='pseuds'][@checked]/@value") == [str(default.pk)]
    assert doc.xpath("//select[@name='language']/option[@selected]/@value") == ["en"]
    assert doc.xpath("//input[@name='expected_chapters']/@value") == ["1"]


def test_posting_creates_a_posted_work_with_its_first_chapter(alice, alice_client):
    data = work_form_data(
        alice,
        title="The Letters",
        summary="Rain, then letters.",
        relationships="Elizabeth Bennet/Fitzwilliam Darcy",
        characters="Elizabeth Bennet, Jane Bennet",
        freeforms="Rain, Letters",
        content="It rained.\n\nThen the letters came, one by one.",
    )
    response = alice_client.post("/works/new", data)
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    assert work.posted and work.published_at and work.revised_at
    assert work.complete
    chapter = work.chapters.get()
    assert chapter.posted
    assert chapter.content == "<p>It rained.</p>\n<p>Then the letters came, one by one.</p>"
    assert work.summary == "<p>Rain, then letters.</p>"
    assert [tag.name for tag in work.tags.order_by("taggings__id")] == [
        "General Audiences",
        "No Archive Warnings Apply",
        "Gen",
        "Pride and Prejudice - Jane Austen",
        "Elizabeth Bennet/Fitzwilliam Darcy",
        "Elizabeth Bennet",
        "Jane Bennet",
        "Rain",
        "Letters",
    ]
    assert not work.adult
    page = alice_client.get(response["Location"])
    assert "Work was successfully posted." in text_of(parse(page))


def test_posting_stores_the_word_count_of_the_text(alice, alice_client):
    content = "<p>one</p>two<br>three don't arm-rest -- fin"
    alice_client.post("/works/new", work_form_data(alice, content=content))
    work = Work.objects.get()
    assert work.chapters.get().word_count == 6
    assert work.word_count == 6


def test_saving_as_a_draft_posts_nothing(alice, alice_client, client):
    data = work_form_data(alice, post_button=None, save_button="1")
    response = alice_client.post("/works/new", data)
    work = Work.objects.get()
    assert response["Location"] == f"/works/{work.pk}"
    assert not work.posted and work.published_at is None
    assert not work.chapters.get().posted
    # A draft's words are not the work's words until it is posted.
    assert work.word_count == 0 and work.chapters.get().word_count > 0
    assert client.get(f"/works/{work.pk}").status_code == 404
    page = parse(alice_client.get(f"/works/{work.pk}"))
    assert "This work is a draft" in text_of(page)


def test_preview_saves_a_draft_and_shows_it(alice, alice_client):
    data = work_form_data(alice, post_button=None, preview_button="1")
    response = alice_client.post("/works/new", data)
    work = Work.objects.get()
    assert response["Location"] == f"/works/{work.pk}/preview"
    assert not work.posted
    doc = parse(alice_client.get(response["Location"]))
    assert text_of(doc.xpath("//h2[@class='title heading']")[0]) == "A Quiet Afternoon"


def test_an_adult_rating_marks_the_work_adult(alice, alice_client):
    alice_client.post("/works/new", work_form_data(alice, rating=fixed_tag_id("Explicit")))
    assert Work.objects.get().adult


def test_a_restricted_work_is_saved_restricted(alice, alice_client):
    alice_client.post("/works/new", work_form_data(alice, restricted="on"))
    assert Work.objects.get().restricted


def test_several_pseuds_of_the_poster_can_be_credited(alice, alice_client):
    second = do_create_pseud(alice, "Lizzy")
    default = alice.pseuds.get(is_default=True)
    alice_client.post("/works/new", work_form_data(alice, pseuds=[default.pk, second.pk]))
    assert set(Work.objects.get().pseuds.all()) == {default, second}


def test_nobody_can_post_as_someone_elses_pseud(alice, bob, alice_client):
    bobs = bob.pseuds.get()
    data = work_form_data(alice, pseuds=[bobs.pk], title="Forged")
    before = row_counts(*SAVED_ROWS)
    response = alice_client.post("/works/new", data)
    assert response.status_code == 200
    assert row_counts(*SAVED_ROWS) == before
    assert parse(response).xpath("//div[contains(@class, 'flash error')]")


def test_a_chaptered_work_can_expect_an_unknown_number_of_chapters(alice, alice_client):
    alice_client.post("/works/new", work_form_data(alice, expected_chapters="?"))
    work = Work.objects.get()
    assert work.expected_chapters is None
    assert not work.complete
    assert work.chapters_label == "1/?"


def test_a_tag_typed_twice_in_different_case_is_kept_once(alice, alice_client):
    alice_client.post("/works/new", work_form_data(alice, freeforms="Rain, rain ,RAIN, Fluff"))
    work = Work.objects.get()
    assert [tag.name for tag in work.tags.filter(type="freeform").order_by("taggings__id")] == [
        "Rain",
        "Fluff",
    ]


def test_fullwidth_and_ideographic_commas_separate_tags(alice, alice_client):
    alice_client.post("/works/new", work_form_data(alice, freeforms="雨\uff0c手紙\u3001 Tea"))
    names = set(Work.objects.get().tags.filter(type="freeform").values_list("name", flat=True))
    assert names == {"雨", "手紙", "Tea"}


def test_a_name_taken_by_another_type_gets_the_type_added(alice, alice_client):
    alice_client.post("/works/new", work_form_data(alice, characters="Sherlock"))
    alice_client.post("/works/new", work_form_data(alice, title="Second", fandoms="Sherlock"))
    second = Work.objects.get(title="Second")
    assert list(second.tags.filter(type="fandom").values_list("name", flat=True)) == [
        "Sherlock - Fandom"
    ]


def test_exactly_the_limits_are_accepted(alice, alice_client):
    data = work_form_data(
        alice,
        title="T" * 255,
        summary="s" * 1250,
        notes="n" * 5000,
        endnotes="e" * 5000,
        fandoms="F" * 150,
        freeforms=", ".join(f"Tag {number}" for number in range(74)),
        content="x" * 10,
    )
    response = alice_client.post("/works/new", data)
    assert response.status_code == 302, parse(response).xpath("//div[@id='error']//li/text()")
    work = Work.objects.get()
    assert len(work.title) == 255
    assert work.tags.exclude(type__in=["rating", "warning", "category"]).count() == 75


def test_the_longest_chapter_text_is_accepted(alice, alice_client):
    response = alice_client.post("/works/new", work_form_data(alice, content="word " * 102_000))
    assert response.status_code == 302
    assert Work.objects.get().word_count == 102_000


# Bad input: a clear message, everything typed still in the form, nothing saved ------------

# With the fandom, relationship and two characters typed below: 76 user tags.
TAGS_72 = ", ".join(f"Tag {number}" for number in range(72))

BAD_INPUT: dict[str, tuple[dict[str, object], str]] = {
    "title_missing": ({"title": ""}, "Title: This field is required."),
    "title_only_markup": ({"title": "<b></b>"}, "Please enter a title."),
    "title_too_long": (
        {"title": "T" * 256},
        "Ensure this value has at most 255 characters (it has 256).",
    ),
    "summary_too_long": (
        {"summary": "s" * 1251},
        "Ensure this value has at most 1250 characters (it has 1251).",
    ),
    "notes_too_long": (
        {"notes": "n" * 5001},
        "Ensure this value has at most 5000 characters (it has 5001).",
    ),
    "endnotes_too_long": (
        {"endnotes": "e" * 5001},
        "Ensure this value has at most 5000 characters (it has 5001).",
    ),
    "text_missing": ({"content": ""}, "content does have to be at least 10 characters long"),
    "text_too_short": ({"content": "Too short"}, "has at least 10 characters (it has 9)"),
    "text_short_but_padded": ({"content": "   short     "}, "at least 10 characters long"),
    "text_too_long": (
        {"content": "x" * 510_001},
        "Ensure this value has at most 510000 characters (it has 510001).",
    ),
    "chapter_title_too_long": (
        {"chapter_title": "c" * 256},
        "Ensure this value has at most 255 characters (it has 256).",
    ),
    "rating_missing": ({"rating": ""}, "Rating: This field is required."),
    "warning_missing": ({"warnings": []}, "Archive Warnings: This field is required."),
    "fandom_missing": ({"fandoms": ""}, "Fandoms: This field is required."),
    "fandom_only_commas": ({"fandoms": " , \uff0c\u3001 "}, "Please fill in at least one fandom."),
    "tag_too_long": (
        {"freeforms": "Fine, " + "L" * 151},
        "is too long (maximum is 150 characters).",
    ),
    "too_many_tags": (
        {"freeforms": TAGS_72},
        "must not add up to more than 75. Your work has 76 of these tags",
    ),
    "expected_chapters_not_a_number": (
        {"expected_chapters": "many"},
        'Enter a whole number of chapters, or "?".',
    ),
    "expected_chapters_zero": (
        {"expected_chapters": "0"},
        'Enter a whole number of chapters, or "?".',
    ),
    "new_series_title_too_long": (
        {"new_series_title": "S" * 256},
        "Ensure this value has at most 255 characters (it has 256).",
    ),
    "no_pseud": ({"pseuds": []}, "Creator/Pseud(s): Choose at least one of your pseuds"),
    "unknown_language": ({"language": "xx"}, "Select a valid choice."),
}
FORBIDDEN = ["^", "*", "<", ">", "{", "}", "=", "`", "\\", "%"]


def assert_rejected(response, data, message, before):
    assert response.status_code == 200
    doc = parse(response)
    errors = doc.xpath("//div[@id='main']//div[contains(@class, 'flash error')]")
    assert errors, "no error box"
    assert message in text_of(errors[0])
    # ... and next to the field as well
    assert doc.xpath("//dd[@class='error']/p[@class='error']") or doc.xpath(
        "//div[@id='error']//li"
    )
    skip = ("pseuds", "language") if data.get("language") == "xx" else ()
    assert_form_shows(doc, data, skip=skip)
    assert row_counts(*SAVED_ROWS) == before


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_rejected_and_kept_in_the_form(alice, alice_client, case):
    changes, message = BAD_INPUT[case]
    typed = {
        "title": "My Title",
        "summary": "My summary",
        "notes": "My notes",
        "endnotes": "My end notes",
        "relationships": "A/B",
        "characters": "A, B",
        "freeforms": "Fluff",
        "chapter_title": "Beginnings",
        "content": "Some words that were typed with care.",
    }
    data = work_form_data(alice, **{**typed, **changes})
    before = row_counts(*SAVED_ROWS)
    assert_rejected(alice_client.post("/works/new", data), data, message, before)


@pytest.mark.parametrize("character", FORBIDDEN)
def test_tags_with_forbidden_characters_are_rejected(alice, alice_client, character):
    data = work_form_data(alice, characters=f"Jane {character} Bennet")
    before = row_counts(*SAVED_ROWS)
    response = alice_client.post("/works/new", data)
    assert_rejected(response, data, "contains characters tags can't have", before)


def test_saving_a_draft_checks_the_same_limits(alice, alice_client):
    data = work_form_data(alice, title="T" * 256, post_button=None, save_button="1")
    before = row_counts(*SAVED_ROWS)
    response = alice_client.post("/works/new", data)
    assert_rejected(response, data, "at most 255 characters", before)


def test_an_empty_submission_is_told_what_is_missing(alice_client):
    response = alice_client.post("/works/new", {})
    assert response.status_code == 200
    error = text_of(parse(response).xpath("//div[contains(@class, 'flash error')]")[0])
    for label in ("Rating", "Archive Warnings", "Fandoms", "Title", "Work text"):
        assert f"{label}: " in error
    assert Work.objects.count() == 0


def test_a_long_name_taken_by_another_type_is_rejected_not_cut(alice, alice_client):
    name = "N" * 145
    alice_client.post("/works/new", work_form_data(alice, characters=name))
    data = work_form_data(alice, title="Second", fandoms=name)
    before = row_counts(*SAVED_ROWS)
    response = alice_client.post("/works/new", data)
    # "NAME - Fandom" would be 154 characters, past the limit every tag keeps.
    assert_rejected(response, data, "would be too long (maximum is 150 characters)", before)


def test_titles_carry_no_html_and_texts_are_sanitized(alice, alice_client):
    data = work_form_data(
        alice,
        title="<b>Pride</b> & <i>Prejudice</i>",
        summary="Fine <em>words</em><script>alert(1)</script>",
        content='<p onclick="steal()">Dear Jane,</p><iframe src="x"></iframe>\nYours, Lizzy',
    )
    alice_client.post("/works/new", data)
    work = Work.objects.get()
    assert work.title == "Pride & Prejudice"
    assert work.summary == "<p>Fine <em>words</em></p>"
    content = work.chapters.get().content
    assert "onclick" not in content and "iframe" not in content
    assert "Dear Jane," in content and "Yours, Lizzy" in content
    doc = parse(alice_client.get(f"/works/{work.pk}"))
    assert text_of(doc.xpath("//h2[@class='title heading']")[0]) == "Pride & Prejudice"
