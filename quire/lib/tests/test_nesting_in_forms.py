"""Every form that takes user HTML refuses markup nested past MAX_NESTING as an error on its
field, keeping what the person typed, and saves nothing (bench/hostile.py times these)."""

import pytest

from quire.accounts.models import Pseud
from quire.conftest import client_for
from quire.lib.sanitize import MAX_NESTING
from quire.social.models import Bookmark, Comment
from quire.testing import form_value, make_work, parse, text_of, work_form_data
from quire.works.models import Series, Work

pytestmark = pytest.mark.django_db

DEEP = "<div>" * (MAX_NESTING + 1) + "Too deep."
REFUSAL = f"nested more than {MAX_NESTING} elements deep"


def errors(response) -> str:
    return text_of(parse(response).get_element_by_id("error"))


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("content", "Work text"),
        ("summary", "Summary"),
        ("notes", "Notes"),
        ("endnotes", "End notes"),
    ],
)
def test_the_posting_form_names_the_field_and_keeps_the_text(alice, field, label):
    data = work_form_data(alice, **{field: DEEP})
    response = client_for(alice).post("/works/new", data)
    assert response.status_code == 200
    assert f"{label}: " in errors(response)
    assert REFUSAL in errors(response)
    assert form_value(parse(response), field) == DEEP
    assert Work.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "label"), [("chapter_notes", "Chapter notes"), ("content", "Work text")]
)
def test_the_chapter_form_names_the_field_and_keeps_the_text(alice, field, label):
    work = make_work(author=alice)
    data = {"chapter_title": "Two", "content": "They danced twice.", "post_button": "1"}
    response = client_for(alice).post(f"/works/{work.pk}/chapters/new", {**data, field: DEEP})
    assert f"{label}: " in errors(response) and REFUSAL in errors(response)
    assert form_value(parse(response), field) == DEEP
    assert work.chapters.count() == 1


def test_a_guests_800_kb_of_divs_on_a_comment_is_refused_with_the_text_kept(alice, client):
    work = make_work(author=alice)
    text = "<div>" * 160_000
    response = client.post(
        f"/works/{work.pk}/comments",
        {"comment[comment_content]": text, "comment[name]": "G", "comment[email]": "g@e.org"},
    )
    assert response.status_code == 200
    page = parse(response)
    assert form_value(page, "comment[comment_content]") == text
    assert Comment.objects.count() == 0


def test_a_nested_comment_within_the_length_limit_gets_the_nesting_error(alice, bob):
    work = make_work(author=alice)
    response = client_for(bob).post(
        f"/works/{work.pk}/comments", {"comment[comment_content]": DEEP}
    )
    assert REFUSAL in response.content.decode()
    assert form_value(parse(response), "comment[comment_content]") == DEEP
    assert Comment.objects.count() == 0


def test_bookmark_notes_are_refused(alice, bob):
    work = make_work(author=alice)
    response = client_for(bob).post(f"/works/{work.pk}/bookmarks/new", {"notes": DEEP})
    assert REFUSAL in response.content.decode()
    assert Bookmark.objects.count() == 0


def test_a_series_description_is_refused(alice):
    make_work(author=alice, new_series_title="Letters")
    series = Series.objects.get()
    response = client_for(alice).post(
        f"/series/{series.pk}/edit", {"title": "Letters", "summary": DEEP, "notes": ""}
    )
    assert "Description: " in errors(response) and REFUSAL in errors(response)


def test_a_pseud_description_is_refused(alice):
    response = client_for(alice).post(
        "/users/alice/pseuds/new", {"name": "Lizzy", "description": DEEP}
    )
    assert "Description: " in errors(response) and REFUSAL in errors(response)
    assert not Pseud.objects.filter(name="Lizzy").exists()
