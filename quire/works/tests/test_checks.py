"""works.checks: the one set of rules for a work's and a chapter's input, which the posting
form, the importers and the API share. Each rule, and the field each error names."""

from typing import Any

import pytest

from quire.tags.actions import do_find_or_create_tags
from quire.tags.models import Tag, TagType
from quire.testing import make_work
from quire.works.actions import ChapterInput, WorkInput
from quire.works.checks import (
    MAX_USER_TAGS,
    InputErrors,
    check_chapter_input,
    check_work_input,
)
from quire.works.models import CHAPTER_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX, Language, Series

pytestmark = pytest.mark.django_db


def fixed(name: str) -> Tag:
    return Tag.objects.get(name=name, canonical=True)


@pytest.fixture
def valid(alice) -> dict:
    return {
        "title": "A Quiet Afternoon",
        "pseuds": [alice.pseuds.get(is_default=True)],
        "rating": fixed("General Audiences"),
        "warnings": [fixed("No Archive Warnings Apply")],
        "fandoms": ["Pride and Prejudice - Jane Austen"],
        "language": Language.objects.get(code="en"),
    }


def problems_of(check, **values) -> list[tuple[str, str]]:
    with pytest.raises(InputErrors) as raised:
        check(**values)
    return [(problem.field, problem.code) for problem in raised.value.problems]


def test_valid_work_input_becomes_a_sanitized_work_input(valid):
    data = check_work_input(
        **{**valid, "title": "<b>Bold</b> Title", "summary": "One.\n\nTwo."},
        restricted=True,
    )
    assert isinstance(data, WorkInput)
    assert data.title == "Bold Title"
    assert data.summary == "<p>One.</p>\n<p>Two.</p>"
    assert data.restricted is True


WORK_RULES: dict[str, tuple[dict[str, Any], str, str, str]] = {
    "title_missing": ({"title": ""}, "title", "required", "This field is required."),
    "title_only_markup": ({"title": "<i></i>"}, "title", "blank", "Please enter a title."),
    "title_too_long": (
        {"title": "T" * (TITLE_MAX + 1)},
        "title",
        "too_long",
        f"Ensure this value has at most {TITLE_MAX} characters (it has {TITLE_MAX + 1}).",
    ),
    "no_creator": ({"pseuds": []}, "pseuds", "required", "This field is required."),
    "no_rating": ({"rating": None}, "rating", "required", "This field is required."),
    "no_warning": ({"warnings": []}, "warnings", "required", "This field is required."),
    "no_language": ({"language": None}, "language", "required", "This field is required."),
    "no_fandom": ({"fandoms": []}, "fandoms", "required", "Please fill in at least one fandom."),
    "tag_too_long": (
        {"characters": ["C" * 151]},
        "characters",
        "bad_tag",
        '"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC…" is too long (maximum is 150 characters).',
    ),
    "forbidden_tag_character": (
        {"freeforms": ["a{b}"]},
        "freeforms",
        "bad_tag",
        '"a{b}" contains characters tags can\'t have: { }',
    ),
    "bad_relationship": (
        {"relationships": ["A*B"]},
        "relationships",
        "bad_tag",
        '"A*B" contains characters tags can\'t have: *',
    ),
    "bad_fandom": (
        {"fandoms": ["F=G"]},
        "fandoms",
        "bad_tag",
        '"F=G" contains characters tags can\'t have: =',
    ),
    "too_many_tags": (
        {"freeforms": [f"T{n}" for n in range(MAX_USER_TAGS)]},
        "__all__",
        "too_many_tags",
        "Fandom, relationship, character, and additional tags must not add up to more than "
        "75. Your work has 76 of these tags, so you must remove 1 of them.",
    ),
    "summary_too_long": (
        {"summary": "s" * (SUMMARY_MAX + 1)},
        "summary",
        "too_long",
        f"Ensure this value has at most {SUMMARY_MAX} characters (it has {SUMMARY_MAX + 1}).",
    ),
    "notes_too_long": (
        {"notes": "n" * (NOTES_MAX + 1)},
        "notes",
        "too_long",
        f"Ensure this value has at most {NOTES_MAX} characters (it has {NOTES_MAX + 1}).",
    ),
    "endnotes_too_long": (
        {"endnotes": "e" * (NOTES_MAX + 1)},
        "endnotes",
        "too_long",
        f"Ensure this value has at most {NOTES_MAX} characters (it has {NOTES_MAX + 1}).",
    ),
    "new_series_title_too_long": (
        {"new_series_title": "S" * (TITLE_MAX + 1)},
        "new_series_title",
        "too_long",
        f"Ensure this value has at most {TITLE_MAX} characters (it has {TITLE_MAX + 1}).",
    ),
}


@pytest.mark.parametrize("case", list(WORK_RULES))
def test_each_work_rule_names_its_field(valid, case):
    changes, field, code, message = WORK_RULES[case]
    with pytest.raises(InputErrors) as raised:
        check_work_input(**{**valid, **changes})
    assert [(p.field, p.code, p.message) for p in raised.value.problems] == [(field, code, message)]
    assert raised.value.by_field() == {field: [message]}


def test_the_limits_are_inclusive(valid):
    data = check_work_input(
        **{**valid, "title": "T" * TITLE_MAX},
        summary="s" * SUMMARY_MAX,
        notes="n" * NOTES_MAX,
        freeforms=[f"T{n}" for n in range(MAX_USER_TAGS - 1)],
    )
    assert len(data.title) == TITLE_MAX


def test_a_series_and_a_new_series_title_together_are_refused(valid, alice):
    series = Series.objects.create(title="Letters")
    assert problems_of(check_work_input, **valid, series=series, new_series_title="Other") == [
        ("new_series_title", "series_twice")
    ]


def test_an_edit_never_expects_fewer_chapters_than_are_posted(valid, alice):
    work = make_work(author=alice, chapters=3)
    assert problems_of(check_work_input, **valid, work=work, expected_chapters=2) == [
        ("expected_chapters", "below_posted")
    ]
    assert check_work_input(**valid, work=work, expected_chapters=3).expected_chapters == 3
    assert check_work_input(**valid, work=work, expected_chapters=None).expected_chapters is None


def test_a_long_name_another_type_holds_is_refused_with_its_field(valid):
    name = "N" * 145
    do_find_or_create_tags([name], TagType.CHARACTER)
    with pytest.raises(InputErrors) as raised:
        check_work_input(**{**valid, "fandoms": [name]})
    assert list(raised.value.by_field()) == ["fandoms"]
    assert "would be too long (maximum is 150 characters)" in raised.value.by_field()["fandoms"][0]


def test_every_broken_rule_is_reported_at_once(valid):
    fields = [
        field
        for field, _ in problems_of(
            check_work_input, **{**valid, "title": "", "rating": None, "fandoms": []}
        )
    ]
    assert fields == ["title", "rating", "fandoms"]


# Chapters ------------------------------------------------------------------------------


def test_valid_chapter_input_is_sanitized_and_counted():
    data = check_chapter_input(
        content="Four words right here.<script>x</script>", title="<b>One</b>"
    )
    assert isinstance(data, ChapterInput)
    assert data.content == "<p>Four words right here.</p>"
    assert (data.title, data.word_count) == ("One", 4)


CHAPTER_RULES = {
    "text_missing": ({"content": ""}, "content", "too_short"),
    "text_under_the_minimum": ({"content": "123456789"}, "content", "too_short"),
    "text_of_white_space": ({"content": "    x     "}, "content", "too_short"),
    "text_too_long": ({"content": "x" * (CHAPTER_MAX + 1)}, "content", "too_long"),
    "title_too_long": ({"title": "T" * (TITLE_MAX + 1)}, "title", "too_long"),
    "summary_too_long": ({"summary": "s" * (SUMMARY_MAX + 1)}, "summary", "too_long"),
    "notes_too_long": ({"notes": "n" * (NOTES_MAX + 1)}, "notes", "too_long"),
    "endnotes_too_long": ({"endnotes": "e" * (NOTES_MAX + 1)}, "endnotes", "too_long"),
}


@pytest.mark.parametrize("case", list(CHAPTER_RULES))
def test_each_chapter_rule_names_its_field(case):
    changes, field, code = CHAPTER_RULES[case]
    values = {"content": "Long enough to be a chapter.", **changes}
    assert problems_of(check_chapter_input, **values) == [(field, code)]


def test_the_longest_chapter_passes():
    assert check_chapter_input(content="x" * CHAPTER_MAX).word_count == 1


DEEP = "<p>" + "<em>" * 120 + "Down here." + "</em>" * 120 + "</p>"


@pytest.mark.parametrize("field", ["title", "summary", "notes", "endnotes", "new_series_title"])
def test_work_markup_nested_too_deep_is_a_problem_on_its_field(valid, field):
    # Never MarkupTooDeep escaping the check (a 500 for the API), never "blank" beside it.
    assert problems_of(check_work_input, **{**valid, field: DEEP}) == [(field, "too_deep")]


@pytest.mark.parametrize("field", ["content", "title", "summary", "notes", "endnotes"])
def test_chapter_markup_nested_too_deep_is_a_problem_on_its_field(field):
    values = {"content": "<p>The rain had stopped by the time the letters came.</p>"}
    assert problems_of(check_chapter_input, **{**values, field: DEEP}) == [(field, "too_deep")]
