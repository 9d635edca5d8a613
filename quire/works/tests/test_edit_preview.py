"""Previewing an edit: for the creator only; readers see nothing new until Update (AO3's
rule). The preview is rendered from the unsaved input, which the preview page carries back in
hidden fields; Update saves it, Edit returns to the form with it, Cancel drops it."""

import pytest

from quire.testing import (
    assert_form_shows,
    make_work,
    parse,
    text_of,
    work_form_data,
)
from quire.works.models import Chapter, Tagging, Work

pytestmark = pytest.mark.django_db

NEW_TEXT = "Seven brand new words stand right here."  # 7 words


def preview_form(doc):
    """The preview page's form: its action and what it would send (every hidden field)."""
    form = doc.xpath("//form[@id='preview-form']")[0]
    data: dict = {}
    for field in form.xpath(".//input[@type='hidden']"):
        name, value = field.get("name"), field.get("value") or ""
        if name == "csrfmiddlewaretoken":
            continue
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    return form.get("action"), data


def title_of(response) -> str:
    return text_of(parse(response).xpath("//h2[@class='title heading']")[0])


def words_of(doc) -> str:
    return text_of(doc.xpath("//dd[@class='words']")[0])


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Old Title", freeforms=("Old Tag",))


@pytest.fixture
def edit(alice):
    return work_form_data(
        alice,
        title="New Title",
        freeforms="Fresh Tag",
        content=NEW_TEXT,
        post_button=None,
        preview_button="1",
    )


def previewed(viewers, work, edit):
    response = viewers["alice"].post(f"/works/{work.pk}/edit", edit)
    assert response.status_code == 200
    return parse(response)


def test_previewing_an_edit_shows_it_to_the_creator_with_update_edit_and_cancel(
    work, edit, viewers
):
    doc = previewed(viewers, work, edit)
    assert text_of(doc.xpath("//h2[@class='title heading']")[0]) == "New Title"
    assert NEW_TEXT in text_of(doc.xpath("//div[@id='chapters']")[0])
    assert doc.xpath("//dd[@class='freeform tags']//a/text()") == ["Fresh Tag"]
    assert words_of(doc) == "7"
    form = doc.xpath("//form[@id='preview-form']")[0]
    assert form.get("action") == f"/works/{work.pk}/edit"
    assert form.xpath(".//button[@name='post_button']/text()") == ["Update"]
    assert form.xpath(".//button[@name='edit_button']/text()") == ["Edit"]
    assert form.xpath(".//a[text()='Cancel']/@href") == [f"/works/{work.pk}"]


def test_previewing_an_edit_changes_nothing_readers_see(work, edit, viewers, client):
    page = f"/works/{work.pk}"
    assert title_of(client.get(page)) == "Old Title"  # the guest page and fragments cached
    client.get("/works")
    before = Work.objects.values().get(pk=work.pk)
    chapter_before = Chapter.objects.values().get(work=work)
    tags_before = list(Tagging.objects.filter(work=work).values_list("tag_id", flat=True))
    previewed(viewers, work, edit)
    assert Work.objects.values().get(pk=work.pk) == before
    assert Chapter.objects.values().get(work=work) == chapter_before
    assert list(Tagging.objects.filter(work=work).values_list("tag_id", flat=True)) == tags_before
    for reader in (client, viewers["bob"]):
        doc = parse(reader.get(page))
        assert text_of(doc.xpath("//h2[@class='title heading']")[0]) == "Old Title"
        assert NEW_TEXT not in text_of(doc)
        assert doc.xpath("//dd[@class='freeform tags']//a/text()") == ["Old Tag"]
        blurb = parse(reader.get("/works")).xpath(f"//li[@id='work_{work.pk}']")[0]
        assert blurb.xpath(".//h4/a/text()")[0] == "Old Title"


def test_update_on_the_preview_publishes_the_edit(work, edit, viewers, client):
    client.get(f"/works/{work.pk}")
    action, data = preview_form(previewed(viewers, work, edit))
    response = viewers["alice"].post(action, {**data, "post_button": "1"})
    assert response["Location"] == f"/works/{work.pk}"
    doc = parse(client.get(f"/works/{work.pk}"))
    assert text_of(doc.xpath("//h2[@class='title heading']")[0]) == "New Title"
    assert NEW_TEXT in text_of(doc.xpath("//div[@id='chapters']")[0])
    assert words_of(doc) == "7"
    work.refresh_from_db()
    assert (work.title, work.word_count, work.posted) == ("New Title", 7, True)


def test_cancel_on_the_preview_leaves_the_work_as_it_was(work, edit, viewers, client):
    doc = previewed(viewers, work, edit)
    cancel = doc.xpath("//form[@id='preview-form']//a[text()='Cancel']/@href")[0]
    assert title_of(viewers["alice"].get(cancel)) == "Old Title"
    assert title_of(client.get(cancel)) == "Old Title"
    assert Work.objects.get(pk=work.pk).title == "Old Title"


def test_edit_on_the_preview_returns_to_the_form_with_the_typed_input(work, edit, viewers):
    action, data = preview_form(previewed(viewers, work, edit))
    response = viewers["alice"].post(action, {**data, "edit_button": "1"})
    assert response.status_code == 200
    doc = parse(response)
    assert doc.xpath("//form[@id='work-form']")
    assert not doc.xpath("//div[contains(@class, 'flash error')]")
    assert_form_shows(doc, edit)
    assert Work.objects.get(pk=work.pk).title == "Old Title"


def test_a_previewed_chaptered_works_edit_counts_the_posted_chapters(alice, viewers, client):
    work = make_work(author=alice, title="Old Title", chapters=2)
    edit = work_form_data(
        alice,
        title="New Title",
        content=None,
        expected_chapters="2",
        post_button=None,
        preview_button="1",
    )
    doc = previewed(viewers, work, edit)
    assert words_of(doc) == f"{work.word_count:,}"
    assert len(doc.xpath("//div[@id='chapters']/div[@class='chapter']")) == 2
    assert title_of(client.get(f"/works/{work.pk}?view_full_work=true")) == "Old Title"


def test_a_bad_previewed_edit_comes_back_as_the_form(work, edit, viewers):
    response = viewers["alice"].post(f"/works/{work.pk}/edit", {**edit, "title": ""})
    doc = parse(response)
    assert doc.xpath("//form[@id='work-form']")
    assert doc.xpath("//div[contains(@class, 'flash error')]")
    assert Work.objects.get(pk=work.pk).title == "Old Title"


def test_nobody_else_can_preview_an_edit(work, edit, viewers):
    path = f"/works/{work.pk}/edit"
    assert viewers["bob"].post(path, edit).status_code == 404
    assert viewers["admin"].post(path, edit).status_code == 404
    assert viewers["guest"].post(path, edit)["Location"] == f"/users/login?next={path}"


def test_a_new_works_preview_counts_its_words(alice, alice_client):
    data = work_form_data(alice, content=NEW_TEXT, post_button=None, preview_button="1")
    response = alice_client.post("/works/new", data)
    doc = parse(alice_client.get(response["Location"]))
    assert words_of(doc) == "7"


# Chapters ------------------------------------------------------------------------------


@pytest.fixture
def chaptered(alice):
    return make_work(author=alice, title="Letters", chapters=2)


def chapter_edit(**fields) -> dict:
    data = {
        "chapter_title": "Renamed",
        "chapter_summary": "",
        "chapter_notes": "",
        "chapter_endnotes": "",
        "content": NEW_TEXT,
        "preview_button": "1",
    }
    return {**data, **fields}


def test_previewing_a_chapter_edit_shows_it_and_changes_nothing_readers_see(
    chaptered, viewers, client
):
    second = chaptered.chapters.get(position=2)
    page = f"/works/{chaptered.pk}/chapters/{second.pk}"
    client.get(page)  # cached for guests
    before = Chapter.objects.values().get(pk=second.pk)
    work_before = Work.objects.values().get(pk=chaptered.pk)
    response = viewers["alice"].post(f"{page}/edit", chapter_edit())
    assert response.status_code == 200
    doc = parse(response)
    assert text_of(doc.xpath("//h3[@class='title']")[0]) == "Chapter 2: Renamed"
    assert NEW_TEXT in text_of(doc.xpath("//div[@id='chapters']")[0])
    first_words = chaptered.chapters.get(position=1).word_count
    assert words_of(doc) == f"{first_words + 7:,}"
    form = doc.xpath("//form[@id='preview-form']")[0]
    assert form.get("action") == f"{page}/edit"
    assert form.xpath(".//button[@name='post_button']/text()") == ["Update"]
    assert form.xpath(".//button[@name='edit_button']/text()") == ["Edit"]
    assert form.xpath(".//a[text()='Cancel']/@href") == [page]
    assert Chapter.objects.values().get(pk=second.pk) == before
    assert Work.objects.values().get(pk=chaptered.pk) == work_before
    for reader in (client, viewers["bob"]):
        shown = parse(reader.get(page))
        assert text_of(shown.xpath("//h3[@class='title']")[0]) == "Chapter 2: Part 2"
        assert NEW_TEXT not in text_of(shown)


def test_update_on_a_chapter_preview_publishes_it(chaptered, viewers, client):
    second = chaptered.chapters.get(position=2)
    page = f"/works/{chaptered.pk}/chapters/{second.pk}"
    client.get(page)
    action, data = preview_form(parse(viewers["alice"].post(f"{page}/edit", chapter_edit())))
    response = viewers["alice"].post(action, {**data, "post_button": "1"})
    assert response["Location"] == page
    shown = parse(client.get(page))
    assert text_of(shown.xpath("//h3[@class='title']")[0]) == "Chapter 2: Renamed"
    assert NEW_TEXT in text_of(shown.xpath("//div[@id='chapters']")[0])


def test_edit_on_a_chapter_preview_returns_to_the_form_with_the_typed_input(chaptered, viewers):
    second = chaptered.chapters.get(position=2)
    page = f"/works/{chaptered.pk}/chapters/{second.pk}"
    typed = chapter_edit(chapter_notes="A note.")
    action, data = preview_form(parse(viewers["alice"].post(f"{page}/edit", typed)))
    doc = parse(viewers["alice"].post(action, {**data, "edit_button": "1"}))
    assert doc.xpath("//form[@id='chapter-form']")
    assert_form_shows(doc, typed)
    assert Chapter.objects.get(pk=second.pk).title == "Part 2"


def test_the_chapter_edit_form_has_a_preview_button(chaptered, viewers):
    second = chaptered.chapters.get(position=2)
    doc = parse(viewers["alice"].get(f"/works/{chaptered.pk}/chapters/{second.pk}/edit"))
    assert doc.xpath("//form[@id='chapter-form']//button[@name='preview_button']")
