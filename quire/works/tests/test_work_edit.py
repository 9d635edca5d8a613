"""Changing a work: edit, preview, post and delete, for its creator only."""

import pytest

from quire.tags.models import Tag
from quire.testing import (
    assert_form_shows,
    chapter_input,
    fixed_tag_id,
    form_value,
    make_work,
    parse,
    row_counts,
    text_of,
    work_form_data,
)
from quire.works.actions import do_add_chapter
from quire.works.models import Chapter, Creatorship, Tagging, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(alice):
    return {
        "posted": make_work(author=alice, title="Posted"),
        "draft": make_work(author=alice, title="Draft", posted=False),
        "restricted": make_work(author=alice, title="Restricted", restricted=True),
        "adult": make_work(author=alice, title="Adult", rating="Explicit"),
    }


def outcome(response, path) -> str:
    if response.status_code == 302 and response["Location"].startswith("/users/login"):
        assert response["Location"] == f"/users/login?next={path}"
        return "login"
    return str(response.status_code)


# Only the creator gets past these; guests are asked to log in; everyone else, admins
# included, is told the work does not exist.
CREATOR_ONLY = {"guest": "login", "bob": "404", "admin": "404"}


@pytest.mark.parametrize("page", ["edit", "preview", "confirm_delete"])
@pytest.mark.parametrize("viewer", list(CREATOR_ONLY))
def test_only_the_creator_may_open_a_works_creator_pages(works, viewers, viewer, page):
    for kind, work in works.items():
        path = f"/works/{work.pk}/{page}"
        assert outcome(viewers[viewer].get(path), path) == CREATOR_ONLY[viewer], kind


@pytest.mark.parametrize("page", ["edit", "preview", "confirm_delete"])
def test_the_creator_opens_every_kind_of_work_for_changing(works, viewers, page):
    for kind, work in works.items():
        path = f"/works/{work.pk}/{page}"
        assert viewers["alice"].get(path).status_code == 200, kind


@pytest.mark.parametrize("viewer", list(CREATOR_ONLY))
def test_nobody_else_can_change_delete_or_post_a_work(works, viewers, viewer, alice):
    client = viewers[viewer]
    for kind, work in works.items():
        version = work.version
        for action, data in (
            ("edit", work_form_data(alice, title="Defaced")),
            ("post", {}),
            ("confirm_delete", {}),
        ):
            path = f"/works/{work.pk}/{action}"
            assert outcome(client.post(path, data), path) == CREATOR_ONLY[viewer], (kind, action)
        work.refresh_from_db()
        assert (work.title, work.version) != ("Defaced", version + 1)
        assert work.title != "Defaced"
    assert Work.objects.count() == 4
    assert not Work.objects.get(title="Draft").posted


def test_posting_is_a_post_only_action(works, viewers):
    assert viewers["alice"].get(f"/works/{works['draft'].pk}/post").status_code == 405


# Edit --------------------------------------------------------------------------------


def test_the_edit_form_shows_the_work_as_it_is(alice, viewers):
    work = make_work(
        author=alice,
        title="The Letters",
        summary="Rain.",
        relationships=("A/B",),
        characters=("A", "B"),
        freeforms=("Fluff",),
        rating="Mature",
        categories=("F/M", "M/M"),
    )
    doc = parse(viewers["alice"].get(f"/works/{work.pk}/edit"))
    assert doc.xpath("//div[@id='main']/@class") == ["works-edit region"]
    assert form_value(doc, "title") == "The Letters"
    assert form_value(doc, "summary") == "Rain."
    assert form_value(doc, "rating") == str(fixed_tag_id("Mature"))
    assert form_value(doc, "categories") == [str(fixed_tag_id("F/M")), str(fixed_tag_id("M/M"))]
    assert form_value(doc, "characters") == "A, B"
    assert form_value(doc, "content") == work.chapters.get().content


def test_a_chaptered_works_edit_form_has_no_chapter_text(alice, viewers):
    work = make_work(author=alice, chapters=2)
    doc = parse(viewers["alice"].get(f"/works/{work.pk}/edit"))
    assert not doc.xpath("//*[@name='content']")
    data = work_form_data(alice, title="Renamed", content=None, expected_chapters="2")
    assert viewers["alice"].post(f"/works/{work.pk}/edit", data).status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed"
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]


def test_editing_changes_the_work_and_keeps_it_posted(works, alice, viewers):
    work = works["posted"]
    data = work_form_data(alice, title="Retitled", freeforms="New Tag", content="New text here.")
    response = viewers["alice"].post(f"/works/{work.pk}/edit", data)
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.title == "Retitled" and work.posted
    assert work.tags.filter(name="New Tag").exists()
    assert work.chapters.get().content == "<p>New text here.</p>"
    assert work.word_count == 3


def test_the_post_button_on_a_drafts_edit_form_posts_it(works, alice, viewers):
    work = works["draft"]
    data = work_form_data(alice, title="Draft")
    viewers["alice"].post(f"/works/{work.pk}/edit", data)
    work.refresh_from_db()
    assert work.posted and work.chapters.get().posted
    assert work.word_count == work.chapters.get().word_count > 0


def test_saving_a_draft_again_keeps_it_a_draft(works, alice, viewers):
    work = works["draft"]
    data = work_form_data(alice, title="Still Draft", post_button=None, save_button="1")
    viewers["alice"].post(f"/works/{work.pk}/edit", data)
    work.refresh_from_db()
    assert work.title == "Still Draft" and not work.posted


def test_the_expected_chapters_cannot_fall_below_the_posted_ones(alice, viewers):
    work = make_work(author=alice, chapters=3)
    data = work_form_data(alice, content=None, expected_chapters="2")
    response = viewers["alice"].post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 200
    assert "already has 3 posted chapters" in text_of(parse(response))
    work.refresh_from_db()
    assert work.expected_chapters == 3


EDIT_BAD_INPUT: dict[str, tuple[dict[str, object], str]] = {
    "title_too_long": ({"title": "T" * 256}, "at most 255 characters (it has 256)"),
    "summary_too_long": ({"summary": "s" * 1251}, "at most 1250 characters (it has 1251)"),
    "notes_too_long": ({"notes": "n" * 5001}, "at most 5000 characters (it has 5001)"),
    "endnotes_too_long": ({"endnotes": "e" * 5001}, "at most 5000 characters (it has 5001)"),
    "text_too_short": ({"content": "tiny"}, "at least 10 characters"),
    "text_too_long": ({"content": "x" * 510_001}, "at most 510000 characters"),
    "rating_missing": ({"rating": ""}, "Rating: This field is required."),
    "warning_missing": ({"warnings": []}, "Archive Warnings: This field is required."),
    "fandom_missing": ({"fandoms": ""}, "Fandoms: This field is required."),
    "tag_too_long": ({"characters": "C" * 151}, "is too long (maximum is 150 characters)"),
    "forbidden_tag_character": ({"freeforms": "a{b}"}, "contains characters tags can't have"),
    "too_many_tags": (
        {"freeforms": ", ".join(f"T{number}" for number in range(75))},
        "must not add up to more than 75",
    ),
}


@pytest.mark.parametrize("case", list(EDIT_BAD_INPUT))
def test_bad_edits_are_rejected_kept_in_the_form_and_change_nothing(works, alice, viewers, case):
    work = works["posted"]
    changes, message = EDIT_BAD_INPUT[case]
    typed = {"title": "New Title", "summary": "New summary", "freeforms": "New Tag"}
    data = work_form_data(alice, **{**typed, **changes})
    before = row_counts(Work, Chapter, Tagging, Tag, Creatorship)
    response = viewers["alice"].post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[contains(@class, 'flash error')]")[0])
    assert_form_shows(doc, data)
    assert row_counts(Work, Chapter, Tagging, Tag, Creatorship) == before
    fresh = Work.objects.get(pk=work.pk)
    assert (fresh.title, fresh.summary, fresh.version) == (work.title, work.summary, work.version)


# Cached fragments follow every change ----------------------------------------------------


def test_the_work_page_shows_an_edited_title_tags_and_text_at_once(works, alice, viewers, client):
    work = works["posted"]
    before = client.get(f"/works/{work.pk}").content.decode()  # fills the fragment cache
    assert "The rain had stopped" in before
    client.get("/works")
    data = work_form_data(
        alice, title="Retitled", freeforms="Brand New Tag", content="Completely new words here."
    )
    viewers["alice"].post(f"/works/{work.pk}/edit", data)
    doc = parse(client.get(f"/works/{work.pk}"))
    assert text_of(doc.xpath("//h2[@class='title heading']")[0]) == "Retitled"
    assert doc.xpath("//dd[@class='freeform tags']//a/text()") == ["Brand New Tag"]
    assert "Completely new words here." in text_of(doc.xpath("//div[@id='chapters']")[0])
    assert "The rain had stopped" not in text_of(doc)
    blurb = parse(client.get("/works")).xpath(f"//li[@id='work_{work.pk}']")[0]
    assert blurb.xpath(".//h4/a/text()")[0] == "Retitled"
    assert blurb.xpath(".//li[@class='freeforms']//a/text()") == ["Brand New Tag"]


def test_the_blurb_shows_a_changed_rating_at_once(works, alice, viewers, client):
    work = works["posted"]
    client.get("/works")
    data = work_form_data(alice, rating=fixed_tag_id("Teen And Up Audiences"))
    viewers["alice"].post(f"/works/{work.pk}/edit", data)
    blurb = parse(client.get("/works")).xpath(f"//li[@id='work_{work.pk}']")[0]
    assert blurb.xpath(".//ul[@class='required-tags']/li[1]//span/@class")[0] == (
        "rating-teen rating"
    )


# Preview, post, delete -------------------------------------------------------------------


def test_the_preview_shows_a_draft_with_its_chapters_and_a_post_button(alice, viewers):
    work = make_work(author=alice, posted=False, chapters=2)
    doc = parse(viewers["alice"].get(f"/works/{work.pk}/preview"))
    assert len(doc.xpath("//div[@id='chapters']/div[@class='chapter']")) == 2
    assert doc.xpath(f"//form[@action='/works/{work.pk}/post']")


def test_posting_a_draft_posts_it_with_every_chapter(alice, viewers, client):
    work = make_work(author=alice, posted=False, chapters=2, expected_chapters=3)
    response = viewers["alice"].post(f"/works/{work.pk}/post")
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.posted and work.posted_chapter_count == 2
    assert work.word_count == sum(c.word_count for c in work.chapters.all())
    assert client.get(f"/works/{work.pk}").status_code == 302  # chaptered: to chapter 1


def test_deleting_asks_first_then_deletes_everything(works, alice, viewers):
    work = works["posted"]
    path = f"/works/{work.pk}/confirm_delete"
    doc = parse(viewers["alice"].get(path))
    assert 'Are you sure you want to delete "Posted"?' in text_of(doc)
    assert Work.objects.filter(pk=work.pk).exists()
    response = viewers["alice"].post(path)
    assert response["Location"] == "/users/alice/works"
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Chapter.objects.filter(work_id=work.pk).exists()
    assert "Your work Posted was deleted." in text_of(
        parse(viewers["alice"].get("/users/alice/works"))
    )


def test_a_draft_can_be_deleted(works, viewers):
    viewers["alice"].post(f"/works/{works['draft'].pk}/confirm_delete")
    assert not Work.objects.filter(title="Draft").exists()


def test_a_deleted_work_is_gone_for_everyone(works, viewers):
    work = works["posted"]
    viewers["alice"].post(f"/works/{work.pk}/confirm_delete")
    for client in viewers.values():
        assert client.get(f"/works/{work.pk}").status_code == 404


def test_edit_keeps_draft_chapters_of_a_posted_work_as_drafts(works, alice, viewers):
    work = works["posted"]
    draft = do_add_chapter(work, chapter_input("<p>Not yet, not yet.</p>"), post=False)
    data = work_form_data(alice, title="Renamed", content=None, expected_chapters="?")
    assert viewers["alice"].post(f"/works/{work.pk}/edit", data).status_code == 302
    draft.refresh_from_db()
    assert not draft.posted
