"""Reading each source format into a ParsedWork, on the samples and on generated files."""

import datetime
import io
import zipfile

import pytest

from quire.imports.sources import NotAWork, parse_source
from quire.imports.testing import (
    ChapterSpec,
    WorkSpec,
    build_epub,
    build_fanficfare_epub,
    build_html,
    flatten,
)
from quire.lib.wordcount import count_words


@pytest.mark.parametrize("ext", ["html", "txt"])
def test_it_reads_the_one_shot_sample(sample, ext):
    work = parse_source(sample(f"single-chapter.{ext}"))
    assert work.title == "The Ferry of Market"
    assert work.authors == ["writer1001"]
    assert work.source_url == "https://archiveofourown.org/works/101001"
    assert work.site_name == "Archive of Our Own"
    assert work.ratings == ["General Audiences"]
    assert work.warnings == ["No Archive Warnings Apply"]
    assert work.categories == ["Gen"]
    assert work.fandoms == ["Sherlock Holmes - Arthur Conan Doyle"]
    assert work.characters == ["Jo March", "Jane Bennet"]
    assert work.freeforms == ["Friendship", "Slice of Life"]
    assert work.published == datetime.date(2021, 6, 19)
    assert work.stated_words == 237
    assert work.summary.startswith("<p>River island blanket")
    assert work.notes.startswith("<p>Scarf autumn violin")
    assert work.notes.endswith("Orchard island candle kettle candle violin lantern!</p>")
    [chapter] = work.chapters
    assert chapter.content.startswith("<p>Lighthouse archive candle")
    assert count_words(chapter.content) == 237
    assert work.notices == []


@pytest.mark.parametrize("ext", ["html", "txt"])
def test_it_splits_the_three_chapter_sample_as_the_source_had_it(sample, ext):
    work = parse_source(sample(f"three-chapters.{ext}"))
    assert work.title == "The Kettle of Island"
    assert work.relationships == ["Elizabeth Bennet/Jane Bennet"]
    assert work.ratings == ["Teen And Up Audiences"]
    assert [c.title for c in work.chapters] == ["Pocket", "Kettle", "Meadow"]
    assert [count_words(c.content) for c in work.chapters] == [280, 190, 361]
    assert work.stated_words == 831
    assert work.stated_chapters == 3 and work.expected_chapters == 3
    assert work.published == datetime.date(2020, 2, 16)
    assert work.updated == datetime.date(2024, 2, 3)


def test_it_keeps_the_html_paragraphs_and_the_text_form_loses_them(sample):
    html_work = parse_source(sample("three-chapters.html"))
    text_work = parse_source(sample("three-chapters.txt"))
    assert html_work.chapters[0].content.count("<p>") == 6
    assert text_work.chapters[0].content.count("<p>") == 1
    assert " ".join(html_work.chapters[0].content.replace("</p><p>", " ").split()) == (
        text_work.chapters[0].content
    )


def test_the_flattener_reproduces_the_sample_text_from_the_sample_html(sample):
    for name in ("single-chapter", "three-chapters"):
        assert flatten(sample(f"{name}.html").decode()) == sample(f"{name}.txt").decode()


def test_it_reads_underscored_link_texts_and_singular_labels_in_the_text_form():
    spec = WorkSpec(
        relationships=["Clark Kent/Lex Luthor", "Lois Lane/Clark Kent"],
        characters=["Clark Kent", "Lex Luthor", "Lois Lane"],
        singular_labels=True,
    )
    text = flatten(build_html(spec))
    assert "Character: Clark_Kent, Lex_Luthor, Lois_Lane" in text
    assert "Relationship: Clark_Kent/Lex_Luthor, Lois_Lane/Clark_Kent" in text
    work = parse_source(text.encode())
    assert work.characters == ["Clark Kent", "Lex Luthor", "Lois Lane"]
    assert work.relationships == ["Clark Kent/Lex Luthor", "Lois Lane/Clark Kent"]


def test_it_tells_one_shot_notes_from_the_story_text_by_the_stated_word_count():
    spec = WorkSpec(
        summary="<p>A summary, with notes inside it.</p>",
        notes="<p>Thanks to my beta! She read it twice.</p>",
        chapters=[ChapterSpec("<p>Thanks again. The rain had stopped.</p><p>It was late.</p>")],
    )
    work = parse_source(flatten(build_html(spec)).encode())
    assert work.notes == "<p>Thanks to my beta! She read it twice.</p>"
    assert work.chapters[0].content == "<p>Thanks again. The rain had stopped. It was late.</p>"
    assert work.notices == []


def test_it_reads_end_notes_and_chapter_notes_in_the_text_form():
    spec = WorkSpec(
        notes="<p>Work notes here.</p>",
        endnotes="<p>Work end notes.</p>",
        chapters=[
            ChapterSpec(
                "<p>First chapter text is here.</p>",
                title="One",
                summary="<p>Chapter one summary.</p>",
                notes="<p>Chapter one notes.</p>",
                endnotes="<p>Chapter one end.</p>",
            ),
            ChapterSpec("<p>Second chapter text is here.</p>", notes="<p>Second notes.</p>"),
        ],
    )
    work = parse_source(flatten(build_html(spec)).encode())
    assert work.notes == "<p>Work notes here.</p>"
    assert work.endnotes == "<p>Work end notes.</p>"
    first, second = work.chapters
    assert (first.title, first.summary, first.notes, first.endnotes) == (
        "One",
        "<p>Chapter one summary.</p>",
        "<p>Chapter one notes.</p>",
        "<p>Chapter one end.</p>",
    )
    assert first.content == "<p>First chapter text is here.</p>"
    assert second.notes == "<p>Second notes.</p>"  # the only doubtful place: settled by count
    assert second.content == "<p>Second chapter text is here.</p>"


def test_it_keeps_doubtful_notes_as_text_and_says_so_when_the_count_cannot_settle_it():
    spec = WorkSpec(
        chapters=[
            ChapterSpec("<p>First chapter text is here.</p>", notes="<p>One notes.</p>"),
            ChapterSpec("<p>Second chapter text is here.</p>", notes="<p>Two notes.</p>"),
        ],
    )
    work = parse_source(flatten(build_html(spec)).encode())
    assert work.chapters[0].content == "<p>One notes. First chapter text is here.</p>"
    assert "could not be told apart" in work.notices[0]


def test_it_reads_an_epub_in_ao3s_layout():
    spec = WorkSpec(
        notes="<p>Some notes.</p>",
        chapters=[
            ChapterSpec("<p>One.</p><p>Two words.</p>", title="Start"),
            ChapterSpec("<p>Three and four.</p>"),
        ],
    )
    work = parse_source(build_epub(spec))
    assert work.source_format == "EPUB download"
    assert [c.title for c in work.chapters] == ["Start", ""]
    assert work.chapters[0].content == "<p>One.</p><p>Two words.</p>"
    assert work.notes == "<p>Some notes.</p>"
    assert work.stated_words == 6


def test_it_reads_a_fanficfare_epub():
    spec = WorkSpec(
        relationships=["Jo March/Laurie"],
        characters=["Jo March", "Laurie"],
        freeforms=["Fluff"],
        categories=["F/M"],
        summary="<p>A <em>short</em> summary.</p>",
        chapters=[
            ChapterSpec("<p>One two three.</p>", title="Begin"),
            ChapterSpec("<p>Four five.</p>"),
        ],
    )
    work = parse_source(build_fanficfare_epub(spec, status="In-Progress"))
    assert work.source_format == "FanFicFare EPUB"
    assert work.title == "The Ferry of Market"
    assert work.authors == ["writer1001"]
    assert work.source_url == "https://archiveofourown.org/works/101001"
    assert work.fandoms == ["Sherlock Holmes - Arthur Conan Doyle"]
    assert work.freeforms == ["Fluff"] and work.categories == ["F/M"]
    assert work.relationships == ["Jo March/Laurie"]
    assert work.ratings == ["General Audiences"]
    assert work.stated_words == 5 and work.stated_chapters == 2
    assert work.expected_chapters is None  # In-Progress: "2/?"
    assert [c.title for c in work.chapters] == ["Begin", ""]
    assert work.summary == "<p>A <em>short</em> summary.</p>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"Dear diary, today nothing happened.", "is not an AO3 download"),
        (b"<!DOCTYPE html><html><body><p>A page</p></body></html>", "has no AO3 preface"),
        (b"Posted originally on the Archive but nothing else", "no title line"),
        (b"PK\x03\x04mimetypeapplication/epub+zip garbage", "not a readable EPUB"),
    ],
)
def test_it_says_what_is_wrong_with_a_file_that_is_not_a_work(data, message):
    with pytest.raises(NotAWork, match=message):
        parse_source(data)


def test_it_says_a_truncated_html_download_may_be_truncated():
    document = build_html(WorkSpec())
    with pytest.raises(NotAWork, match="truncated"):
        parse_source(document[: document.index('<div id="afterword"')].encode())


def test_it_says_a_truncated_text_download_may_be_truncated(sample):
    text = sample("single-chapter.txt")
    with pytest.raises(NotAWork, match="truncated"):
        parse_source(text[: len(text) // 2])


def test_it_refuses_a_file_in_another_encoding():
    data = build_html(WorkSpec(title="Café Crème")).encode("latin-1")
    with pytest.raises(NotAWork, match="not UTF-8"):
        parse_source(data)


def test_it_refuses_an_epub_that_is_not_a_zip_or_misses_its_package():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    with pytest.raises(NotAWork, match="not a readable EPUB"):
        parse_source(buffer.getvalue())
    good = build_epub(WorkSpec())
    with pytest.raises(NotAWork, match="not a readable EPUB"):
        parse_source(good[: len(good) // 2])


def test_it_reads_fanficfares_ao3_specific_title_page_entries():
    spec = WorkSpec(freeforms=["Fluff"], categories=["F/F"], complete=False)
    work = parse_source(build_fanficfare_epub(spec, status="In-Progress", ao3_entries=True))
    assert work.fandoms == ["Sherlock Holmes - Arthur Conan Doyle"]
    assert work.freeforms == ["Fluff"] and work.categories == ["F/F"]
    assert work.stated_chapters == 1 and work.expected_chapters is None
