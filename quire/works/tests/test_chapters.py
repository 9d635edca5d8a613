"""Chapters: new, edit, post, delete and manage, for the work's creator only."""

import pytest

from quire.testing import (
    assert_form_shows,
    chapter_input,
    form_value,
    make_work,
    parse,
    row_counts,
    text_of,
)
from quire.works.actions import do_add_chapter
from quire.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(alice):
    return {
        "posted": make_work(author=alice, title="Posted", chapters=2),
        "draft": make_work(author=alice, title="Draft", posted=False, chapters=2),
        "restricted": make_work(author=alice, title="Restricted", restricted=True, chapters=2),
        "adult": make_work(author=alice, title="Adult", rating="Mature", chapters=2),
    }


def chapter_data(**fields) -> dict:
    data = {
        "chapter_title": "The Ball",
        "chapter_summary": "",
        "chapter_notes": "",
        "chapter_endnotes": "",
        "content": "They danced twice, which was remarked upon.",
        "post_button": "1",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def outcome(response, path) -> str:
    if response.status_code == 302 and response["Location"].startswith("/users/login"):
        assert response["Location"] == f"/users/login?next={path}"
        return "login"
    return str(response.status_code)


def chapter_paths(work) -> dict[str, str]:
    second = work.chapters.get(position=2)
    base = f"/works/{work.pk}"
    return {
        "new": f"{base}/chapters/new",
        "edit": f"{base}/chapters/{second.pk}/edit",
        "delete": f"{base}/chapters/{second.pk}/confirm_delete",
        "manage": f"{base}/chapters/manage",
        "post": f"{base}/chapters/{second.pk}/post",
    }


CREATOR_ONLY = {"guest": "login", "bob": "404", "admin": "404"}


@pytest.mark.parametrize("viewer", list(CREATOR_ONLY))
def test_only_the_creator_may_open_the_chapter_pages(works, viewers, viewer):
    for kind, work in works.items():
        for page, path in chapter_paths(work).items():
            if page == "post":
                continue
            got = outcome(viewers[viewer].get(path), path)
            assert got == CREATOR_ONLY[viewer], (kind, page)


@pytest.mark.parametrize("viewer", list(CREATOR_ONLY))
def test_nobody_else_can_add_change_post_delete_or_reorder_chapters(works, viewers, viewer):
    before = {c.pk: (c.title, c.position, c.posted) for c in Chapter.objects.all()}
    for kind, work in works.items():
        second = work.chapters.get(position=2)
        first = work.chapters.get(position=1)
        posts = {
            "new": chapter_data(),
            "edit": chapter_data(chapter_title="Defaced"),
            "delete": {},
            "manage": {f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
            "post": {},
        }
        for page, path in chapter_paths(work).items():
            got = outcome(viewers[viewer].post(path, posts[page]), path)
            assert got == CREATOR_ONLY[viewer], (kind, page)
    assert {c.pk: (c.title, c.position, c.posted) for c in Chapter.objects.all()} == before


def test_the_creator_opens_every_chapter_page(works, viewers):
    for kind, work in works.items():
        for page, path in chapter_paths(work).items():
            if page != "post":
                assert viewers["alice"].get(path).status_code == 200, (kind, page)


# New ---------------------------------------------------------------------------------


def test_posting_a_chapter_adds_it_at_the_end_and_counts_its_words(alice, viewers):
    work = make_work(author=alice, expected_chapters=3)
    words = work.word_count
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/new", chapter_data())
    chapter = work.chapters.get(position=2)
    assert response["Location"] == f"/works/{work.pk}/chapters/{chapter.pk}"
    assert chapter.posted and chapter.title == "The Ball"
    assert chapter.word_count == 7
    work.refresh_from_db()
    assert work.word_count == words + 7
    assert work.chapters_label == "2/3"
    assert work.last_chapter_id == chapter.pk
    assert not work.complete


def test_a_draft_chapter_does_not_count_until_posted(alice, viewers):
    work = make_work(author=alice, expected_chapters=None)
    words = work.word_count
    data = chapter_data(post_button=None, save_button="1")
    viewers["alice"].post(f"/works/{work.pk}/chapters/new", data)
    chapter = work.chapters.get(position=2)
    work.refresh_from_db()
    assert not chapter.posted and chapter.word_count == 7
    assert (work.word_count, work.posted_chapter_count) == (words, 1)
    assert work.last_chapter_id == work.chapters.get(position=1).pk
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/{chapter.pk}/post")
    assert response["Location"] == f"/works/{work.pk}/chapters/{chapter.pk}"
    work.refresh_from_db()
    assert (work.word_count, work.posted_chapter_count) == (words + 7, 2)
    assert work.last_chapter_id == chapter.pk


def test_posting_the_last_expected_chapter_completes_the_work(alice, viewers):
    work = make_work(author=alice, expected_chapters=2)
    viewers["alice"].post(f"/works/{work.pk}/chapters/new", chapter_data())
    work.refresh_from_db()
    assert work.complete and work.chapters_label == "2/2"


def test_a_one_shot_that_gets_a_second_chapter_expects_two(alice, viewers):
    work = make_work(author=alice)
    viewers["alice"].post(f"/works/{work.pk}/chapters/new", chapter_data())
    work.refresh_from_db()
    assert work.chapters_label == "2/2" and not work.is_oneshot


def test_chapters_added_to_a_draft_wait_for_the_work(alice, viewers):
    work = make_work(author=alice, posted=False)
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/new", chapter_data())
    chapter = work.chapters.get(position=2)
    assert not chapter.posted
    page = text_of(parse(viewers["alice"].get(response["Location"])))
    assert "successfully posted" not in page
    work.refresh_from_db()
    assert work.word_count == 0


CHAPTER_BAD_INPUT = {
    "text_missing": ({"content": ""}, "at least 10 characters long"),
    "text_too_short": ({"content": "123456789"}, "at least 10 characters"),
    "text_only_spaces": ({"content": " " * 40}, "at least 10 characters"),
    "text_too_long": ({"content": "x" * 510_001}, "at most 510000 characters (it has 510001)"),
    "title_too_long": ({"chapter_title": "c" * 256}, "at most 255 characters (it has 256)"),
    "summary_too_long": ({"chapter_summary": "s" * 1251}, "at most 1250 characters"),
    "notes_too_long": ({"chapter_notes": "n" * 5001}, "at most 5000 characters"),
    "endnotes_too_long": ({"chapter_endnotes": "e" * 5001}, "at most 5000 characters"),
}
TYPED = {
    "chapter_title": "Typed Title",
    "chapter_summary": "Typed summary",
    "chapter_notes": "Typed notes",
    "chapter_endnotes": "Typed end notes",
    "content": "Typed text that is long enough.",
}


def assert_rejected(response, data, message) -> None:
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[contains(@class, 'flash error')]")[0])
    assert_form_shows(doc, data)


@pytest.mark.parametrize("case", list(CHAPTER_BAD_INPUT))
def test_a_bad_new_chapter_is_rejected_kept_and_not_saved(works, viewers, case):
    work = works["posted"]
    changes, message = CHAPTER_BAD_INPUT[case]
    data = chapter_data(**{**TYPED, **changes})
    before = row_counts(Chapter, Work)
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/new", data)
    assert_rejected(response, data, message)
    assert row_counts(Chapter, Work) == before
    assert Work.objects.get(pk=work.pk).version == work.version


@pytest.mark.parametrize("case", list(CHAPTER_BAD_INPUT))
def test_a_bad_chapter_edit_is_rejected_kept_and_changes_nothing(works, viewers, case):
    work = works["posted"]
    chapter = work.chapters.get(position=2)
    changes, message = CHAPTER_BAD_INPUT[case]
    data = chapter_data(**{**TYPED, **changes})
    path = f"/works/{work.pk}/chapters/{chapter.pk}/edit"
    assert_rejected(viewers["alice"].post(path, data), data, message)
    fresh = Chapter.objects.get(pk=chapter.pk)
    assert (fresh.title, fresh.content) == (chapter.title, chapter.content)


def test_the_longest_chapter_is_accepted(works, viewers):
    work = works["posted"]
    data = chapter_data(content="x" * 510_000)
    assert viewers["alice"].post(f"/works/{work.pk}/chapters/new", data).status_code == 302


# Edit -----------------------------------------------------------------------------------


def test_the_chapter_edit_form_shows_the_chapter(works, viewers):
    work = works["posted"]
    chapter = work.chapters.get(position=2)
    doc = parse(viewers["alice"].get(f"/works/{work.pk}/chapters/{chapter.pk}/edit"))
    assert form_value(doc, "chapter_title") == "Part 2"
    assert form_value(doc, "content") == chapter.content


def test_editing_a_chapter_updates_its_words_and_the_page(works, viewers, client):
    work = works["posted"]
    chapter = work.chapters.get(position=2)
    page = f"/works/{work.pk}/chapters/{chapter.pk}"
    assert "Part 2" in client.get(page).content.decode()  # fills the fragment cache
    data = chapter_data(chapter_title="Renamed", content="Just four new words.")
    response = viewers["alice"].post(f"{page}/edit", data)
    assert response["Location"] == page
    chapter.refresh_from_db()
    assert chapter.word_count == 4
    work.refresh_from_db()
    assert work.word_count == work.chapters.get(position=1).word_count + 4
    doc = parse(client.get(page))
    assert text_of(doc.xpath("//h3[@class='title']")[0]) == "Chapter 2: Renamed"
    assert "Just four new words." in text_of(doc.xpath("//div[@id='chapters']")[0])
    full = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    assert "Just four new words." in text_of(full.xpath("//div[@id='chapters']")[0])


def test_the_post_button_on_a_draft_chapters_edit_form_posts_it(works, viewers):
    work = works["posted"]
    draft = do_add_chapter(work, chapter_input("<p>Waiting for its turn.</p>"), post=False)
    path = f"/works/{work.pk}/chapters/{draft.pk}/edit"
    viewers["alice"].post(path, chapter_data(content="Its turn has come now."))
    draft.refresh_from_db()
    assert draft.posted


def test_a_chapter_of_a_draft_work_cannot_be_posted_alone(works, viewers):
    work = works["draft"]
    chapter = work.chapters.get(position=2)
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/{chapter.pk}/post", follow=True)
    assert "Post the work first" in text_of(parse(response))
    chapter.refresh_from_db()
    assert not chapter.posted


def test_a_chapter_of_another_work_is_a_404_for_its_creator_too(works, viewers):
    other = works["draft"].chapters.get(position=1)
    work = works["posted"]
    for path in (
        f"/works/{work.pk}/chapters/{other.pk}/edit",
        f"/works/{work.pk}/chapters/{other.pk}/confirm_delete",
    ):
        assert viewers["alice"].get(path).status_code == 404


# Delete -------------------------------------------------------------------------------


def test_deleting_a_chapter_asks_first_then_closes_the_gap(alice, viewers):
    work = make_work(author=alice, chapters=3)
    second = work.chapters.get(position=2)
    path = f"/works/{work.pk}/chapters/{second.pk}/confirm_delete"
    doc = parse(viewers["alice"].get(path))
    assert "Are you sure you want to delete Chapter 2: Part 2" in text_of(doc)
    response = viewers["alice"].post(path)
    assert response["Location"] == f"/works/{work.pk}"
    assert list(work.chapters.values_list("title", "position")) == [("", 1), ("Part 3", 2)]
    work.refresh_from_db()
    assert work.posted_chapter_count == 2
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))


def test_the_only_chapter_cannot_be_deleted(alice, viewers):
    work = make_work(author=alice)
    chapter = work.chapters.get()
    path = f"/works/{work.pk}/chapters/{chapter.pk}/confirm_delete"
    response = viewers["alice"].post(path)
    assert response.status_code == 200
    assert "You can't delete the only posted chapter of a work." in text_of(parse(response))
    assert Chapter.objects.filter(pk=chapter.pk).exists()


# Manage -------------------------------------------------------------------------------


def test_chapters_can_be_put_in_a_new_order(alice, viewers, client):
    work = make_work(author=alice, chapters=3)
    one, two, three = work.chapters.order_by("position")
    client.get(f"/works/{work.pk}?view_full_work=true")  # fills the fragment cache
    data = {f"position_{one.pk}": "3", f"position_{two.pk}": "1", f"position_{three.pk}": "2"}
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/manage", data)
    assert response["Location"] == f"/works/{work.pk}/navigate"
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        two.pk,
        three.pk,
        one.pk,
    ]
    doc = parse(client.get(f"/works/{work.pk}?view_full_work=true"))
    assert [text_of(h) for h in doc.xpath("//h3[@class='title']")] == [
        "Chapter 1: Part 2",
        "Chapter 2: Part 3",
        "Chapter 3",
    ]


@pytest.mark.parametrize(
    ("positions", "message"),
    [
        (("1", "1", "2"), "Each chapter needs its own position."),
        (("1", "2", "4"), "Ensure this value is less than or equal to 3."),
        (("0", "1", "2"), "Ensure this value is greater than or equal to 1."),
        (("1", "two", "3"), "Enter a whole number."),
        (("1", "", "3"), "This field is required."),
    ],
)
def test_a_bad_new_order_is_rejected_and_kept(alice, viewers, positions, message):
    work = make_work(author=alice, chapters=3)
    chapters = list(work.chapters.order_by("position"))
    data = {f"position_{c.pk}": p for c, p in zip(chapters, positions, strict=True)}
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/manage", data)
    assert_rejected(response, data, message)
    assert list(work.chapters.order_by("position")) == chapters


def test_the_only_posted_chapter_of_a_posted_work_cannot_be_deleted(alice, viewers, client):
    work = make_work(author=alice, expected_chapters=2)
    posted = work.chapters.get()
    do_add_chapter(work, chapter_input("<p>Still a draft, this one.</p>"), post=False)
    path = f"/works/{work.pk}/chapters/{posted.pk}/confirm_delete"
    response = viewers["alice"].post(path)
    assert response.status_code == 200
    assert "You can't delete the only posted chapter of a work." in text_of(parse(response))
    assert Chapter.objects.filter(pk=posted.pk).exists()
    assert client.get(f"/works/{work.pk}").status_code == 200


def test_a_draft_chapter_beside_the_only_posted_one_can_be_deleted(alice, viewers):
    work = make_work(author=alice, expected_chapters=2)
    draft = do_add_chapter(work, chapter_input("<p>Still a draft, this one.</p>"), post=False)
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/{draft.pk}/confirm_delete")
    assert response.status_code == 302
    assert not Chapter.objects.filter(pk=draft.pk).exists()


def test_a_chapter_of_a_draft_work_can_be_deleted_while_another_remains(alice, viewers):
    work = make_work(author=alice, posted=False, chapters=2)
    first = work.chapters.get(position=1)
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/{first.pk}/confirm_delete")
    assert response.status_code == 302
    assert work.chapters.count() == 1


def test_the_only_chapter_of_a_draft_cannot_be_deleted_either(alice, viewers):
    work = make_work(author=alice, posted=False)
    chapter = work.chapters.get()
    response = viewers["alice"].post(f"/works/{work.pk}/chapters/{chapter.pk}/confirm_delete")
    assert "You can't delete the only chapter of a work." in text_of(parse(response))
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_the_chapter_edit_page_links_to_deleting_the_chapter(alice, viewers):
    work = make_work(author=alice, chapters=2)
    second = work.chapters.get(position=2)
    delete = f"/works/{work.pk}/chapters/{second.pk}/confirm_delete"
    doc = parse(viewers["alice"].get(f"/works/{work.pk}/chapters/{second.pk}/edit"))
    assert doc.xpath(f"//a[@href='{delete}']/text()") == ["Delete Chapter"]
    assert viewers["alice"].get(delete).status_code == 200


def test_the_only_chapters_edit_page_offers_no_delete(alice, viewers):
    work = make_work(author=alice)
    chapter = work.chapters.get()
    doc = parse(viewers["alice"].get(f"/works/{work.pk}/chapters/{chapter.pk}/edit"))
    assert not doc.xpath("//a[contains(@href, '/confirm_delete')]")
