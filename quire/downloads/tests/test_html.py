"""The HTML download, element by element, against AO3's layout (AO3.md §10)."""

from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone

from quire.downloads.formats import build
from quire.testing import make_user, make_work, set_work_fields, text_of
from quire.works.models import Chapter

pytestmark = pytest.mark.django_db
SITE = "https://quire.example.org"


def download(work):
    work.refresh_from_db()
    return lxml.html.document_fromstring(build(work, "html").decode())


def children(element):
    return [child for child in element if isinstance(child.tag, str)]


def pairs(dl):
    items = children(dl)
    return [(text_of(dt), dd) for dt, dd in zip(items[::2], items[1::2], strict=True)]


def test_a_one_shot_has_ao3s_preface_text_and_afterword(alice):
    work = make_work(
        author=alice,
        title="Tea & Sympathy",
        characters=("Jane Bennet", "Elizabeth Bennet"),
        relationships=("Elizabeth Bennet/Jane Bennet",),
        freeforms=("Fluff",),
        summary="<p>Two sisters.</p>",
        notes="<p>For a friend.</p>",
        text="<p>Once upon a time.</p><p>The end.</p>",
    )
    doc = download(work)
    url = f"{SITE}/works/{work.pk}"
    assert doc.findtext("head/title") == (
        "Tea & Sympathy - alice - Pride and Prejudice - Jane Austen"
    )
    body = children(doc.body)
    assert [(e.tag, e.get("id")) for e in body] == [
        ("div", "preface"),
        ("div", "chapters"),
        ("div", "afterword"),
    ]
    preface, chapters, afterword = body

    heading, message, meta = children(preface)
    assert (heading.tag, heading.get("class"), heading.text) == ("h2", "toc-heading", "Preface")
    assert message.get("class") == "message"
    assert message.find("b").text == "Tea & Sympathy"
    assert message.find("br") is not None
    assert text_of(message) == f"Tea & SympathyPosted originally on the Quire at {url}."
    site_link, work_link = message.findall("a")
    assert (site_link.get("href"), site_link.text) == (f"{SITE}/", "Quire")
    assert (work_link.get("href"), work_link.text) == (url, url)

    assert meta.get("class") == "meta"
    dl, h1, byline, p_summary, summary, p_notes, notes = children(meta)
    assert (dl.tag, dl.get("class")) == ("dl", "tags")
    assert all(child.get("class") is None for child in children(dl))
    rows = pairs(dl)
    assert [label for label, _ in rows] == [
        "Rating:",
        "Archive Warning:",
        "Category:",
        "Fandom:",
        "Relationship:",
        "Characters:",
        "Additional Tags:",
        "Language:",
        "Stats:",
    ]
    tags = dict(rows)
    characters = tags["Characters:"].findall("a")
    assert [a.text for a in characters] == ["Jane Bennet", "Elizabeth Bennet"]
    assert text_of(tags["Characters:"]) == "Jane Bennet, Elizabeth Bennet"
    assert characters[0].get("href") == f"{SITE}/tags/Jane%20Bennet"
    assert tags["Relationship:"].find("a").get("href") == (
        f"{SITE}/tags/Elizabeth%20Bennet*s*Jane%20Bennet"
    )
    assert text_of(tags["Language:"]) == "English" and not tags["Language:"].findall("a")
    published = work.published_at.isoformat()
    assert text_of(tags["Stats:"]) == f"Published: {published} Words: 6 Chapters: 1/1"

    assert (h1.tag, h1.text) == ("h1", "Tea & Sympathy")
    assert (byline.tag, byline.get("class")) == ("div", "byline")
    assert text_of(byline) == "by alice"
    author = byline.find("a")
    assert author.get("rel") == "author"
    assert author.get("href") == f"{SITE}/users/alice/pseuds/alice"
    assert (p_summary.tag, p_summary.text) == ("p", "Summary")
    assert (summary.tag, summary.get("class"), text_of(summary)) == (
        "blockquote",
        "userstuff",
        "Two sisters.",
    )
    assert (p_notes.text, notes.get("class"), text_of(notes)) == (
        "Notes",
        "userstuff",
        "For a friend.",
    )

    assert chapters.get("class") == "userstuff"
    title, text = children(chapters)
    assert (title.tag, title.get("class"), title.text) == ("h2", "toc-heading", "Tea & Sympathy")
    assert (text.tag, text.get("class")) == ("div", "userstuff")
    assert [text_of(p) for p in text.findall("p")] == ["Once upon a time.", "The end."]
    assert "Chapter 1" not in text_of(chapters)

    heading, message = children(afterword)
    assert (heading.get("class"), heading.text) == ("toc-heading", "Afterword")
    assert message.get("class") == "message"
    assert text_of(message) == (
        "Please drop by the Quire and comment to let the creator know if you enjoyed their work!"
    )
    assert message.find("a").get("href") == f"{url}/comments/new"


def test_the_site_name_is_a_setting(alice, settings):
    settings.SITE_NAME = "Little Archive"
    doc = download(make_work(author=alice))
    assert "Posted originally on the Little Archive at" in text_of(doc.find(".//p"))
    assert "drop by the Little Archive and comment" in text_of(doc.get_element_by_id("afterword"))


def test_a_chaptered_work_has_a_meta_group_per_chapter(alice):
    work = make_work(author=alice, title="Three", chapters=3, expected_chapters=5)
    first = Chapter.objects.get(work=work, position=1)
    first.summary, first.notes, first.endnotes = "<p>S1</p>", "<p>N1</p>", "<p>E1</p>"
    first.save()
    doc = download(work)
    chapters = doc.get_element_by_id("chapters")
    groups = chapters.xpath("div[@class='meta group']")
    assert [text_of(g.find("h2")) for g in groups] == [
        "Chapter 1",
        "Chapter 2: Part 2",
        "Chapter 3: Part 3",
    ]
    assert all(g.find("h2").get("class") == "heading" for g in groups)
    _, p_summary, summary, p_notes, notes, link = children(groups[0])
    assert (p_summary.text, text_of(summary), summary.get("class")) == (
        "Chapter Summary",
        "S1",
        "userstuff",
    )
    assert (p_notes.text, text_of(notes)) == ("Chapter Notes", "N1")
    assert link.get("class") == "endnote-link"
    assert text_of(link) == "See the end of the chapter for more notes"
    assert link.find("a").get("href") == "#endnotes1"
    assert len(children(groups[1])) == 1  # just the heading
    # Each group is followed by the text, then (chapter 1 only) its end notes.
    after_first = children(chapters)[1:3]
    assert after_first[0].get("class") == "userstuff"
    end = after_first[1]
    assert (end.get("class"), end.get("id")) == ("meta", "endnotes1")
    assert [child.tag for child in children(end)] == ["p", "blockquote"]
    assert (end[0].text, text_of(end[1])) == ("Chapter End Notes", "E1")
    assert len(chapters.xpath("div[@class='userstuff']")) == 3
    stats = text_of(doc.xpath("//dl[@class='tags']/dd")[-1])
    assert stats.endswith("Chapters: 3/5")


def test_notes_only_at_the_end_link_to_them(alice):
    doc = download(make_work(author=alice, endnotes="<p>Thanks!</p>"))
    meta = doc.xpath("//div[@id='preface']/div[@class='meta']")[0]
    notes_label = meta.xpath("p[text()='Notes']")
    assert notes_label and not meta.xpath("blockquote[preceding-sibling::p[1][text()='Notes']]")
    link = meta.xpath("div[@class='endnote-link']")[0]
    assert text_of(link) == "See the end of the work for notes"
    assert link.find("a").get("href") == "#endnotes"
    afterword = doc.get_element_by_id("afterword")
    endnotes = afterword.xpath("div[@class='meta']/div[@id='endnotes']")[0]
    assert endnotes[0].text == "End Notes"
    assert text_of(endnotes[1]) == "Thanks!"


def test_beginning_and_end_notes_say_more_notes(alice):
    doc = download(make_work(author=alice, notes="<p>Hi</p>", endnotes="<p>Bye</p>"))
    link = doc.xpath("//div[@class='endnote-link']")[0]
    assert text_of(link) == "See the end of the work for more notes"


def test_without_notes_there_is_no_notes_part(alice):
    doc = download(make_work(author=alice))
    assert not doc.xpath("//p[text()='Notes' or text()='Summary']")
    assert not doc.xpath("//div[@id='afterword']/div[@class='meta']")


def test_series_and_several_creators_are_listed(alice):
    bob = make_user("bob")
    pseuds = [alice.pseuds.get(), bob.pseuds.get()]
    first = make_work(author=alice, title="One", new_series_title="Seasons", pseuds=pseuds)
    series = first.series.get()
    second = make_work(author=alice, title="Two", series=series)
    doc = download(second)
    rows = dict(pairs(doc.xpath("//dl[@class='tags']")[0]))
    assert text_of(rows["Series:"]) == "Part 2 of Seasons"
    assert rows["Series:"].find("a").get("href") == f"{SITE}/series/{series.pk}"
    doc = download(first)
    byline = doc.xpath("//div[@class='byline']")[0]
    assert text_of(byline) == "by alice, bob"
    assert doc.findtext("head/title").startswith("One - alice, bob - ")


def test_more_than_three_fandoms_are_multifandom(alice):
    fandoms = ("Emma - Jane Austen", "Persuasion - Jane Austen", "Dracula - Bram Stoker")
    three = download(make_work(author=alice, title="Three", fandoms=fandoms))
    assert three.findtext("head/title") == f"Three - alice - {', '.join(fandoms)}"
    four = download(make_work(author=alice, title="Four", fandoms=(*fandoms, "Middlemarch")))
    assert four.findtext("head/title") == "Four - alice - Multifandom"
    rows = dict(pairs(four.xpath("//dl[@class='tags']")[0]))
    assert len(rows["Fandoms:"].findall("a")) == 4


def test_stats_show_updated_or_completed_only_after_the_first_day(alice):
    work = make_work(author=alice, chapters=2, expected_chapters=3)
    later = timezone.now() + timedelta(days=3)
    set_work_fields(work, revised_at=later)
    stats = text_of(download(work).xpath("//dl[@class='tags']/dd")[-1])
    assert f"Updated: {later.date().isoformat()} Words:" in stats
    set_work_fields(work, complete=True)
    stats = text_of(download(work).xpath("//dl[@class='tags']/dd")[-1])
    assert f"Completed: {later.date().isoformat()} Words:" in stats
    assert "Updated" not in text_of(download(make_work(author=alice, chapters=2)))


def test_an_anonymous_work_shows_anonymous(alice):
    work = make_work(author=alice, title="Secret")
    set_work_fields(work, anonymous=True)
    doc = download(work)
    assert text_of(doc.xpath("//div[@class='byline']")[0]) == "by Anonymous"
    assert not doc.xpath("//a[@rel='author']")
    assert doc.findtext("head/title").startswith("Secret - Anonymous - ")
