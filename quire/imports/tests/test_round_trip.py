"""Round trip through the real downloads: download -> import -> download gives the same
title, tags, summary, notes, chapter texts and word count, for HTML, EPUB and the text form
(the HTML download flattened as the samples are)."""

import os
import random
import shutil
import subprocess

import pytest

from quire.downloads.formats import build
from quire.imports.actions import do_import_file
from quire.imports.sources import parse_source
from quire.imports.sources.epub import read_book
from quire.imports.testing import flatten, paragraphs, sentences
from quire.lib.sanitize import format_user_text
from quire.lib.wordcount import count_words
from quire.testing import make_work
from quire.works.actions import ChapterInput, do_add_chapter
from quire.works.models import Work


def _words(html: str) -> str:
    """Text as a reader sees it, white space collapsed (the text form keeps no more)."""
    import lxml.html

    return " ".join(
        lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div").text_content().split()
    )


def generated_work(author, rng: random.Random, *, chapters: int, notes: bool):
    """A work as the posting form stores one (text through format_user_text)."""
    work = make_work(
        author=author,
        title=f"The {sentences(rng, 1).split()[0].capitalize()} of Harbor",
        rating="Teen And Up Audiences",
        warnings=("No Archive Warnings Apply",),
        categories=("F/M", "Gen"),
        fandoms=("Little Women - Louisa May Alcott",),
        relationships=("Jo March/Laurie",),
        characters=("Jo March", "Laurie", "Beth March"),
        freeforms=("Friendship", "Snow"),
        summary=format_user_text(f"<p>{sentences(rng, 2)}</p>"),
        notes=format_user_text(f"<p>{sentences(rng, 1)}</p>") if notes else "",
        text=format_user_text(paragraphs(rng, 4), allow_class=True),
        expected_chapters=chapters,
    )
    for number in range(2, chapters + 1):
        text = format_user_text(paragraphs(rng, 3), allow_class=True)
        do_add_chapter(
            work,
            ChapterInput(content=text, title=f"Part {number}", word_count=count_words(text)),
            post=True,
        )
    work.refresh_from_db()
    return work


def snapshot(work: Work, *, plain: bool) -> dict:
    def text(value: str) -> str:
        return _words(value) if plain else value

    chapters = list(work.chapters.order_by("position"))
    return {
        "title": work.title,
        "tags": [(tag.type, tag.name) for tag in work.tags.order_by("taggings__id")],
        "summary": text(work.summary),
        "notes": text(work.notes),
        "chapters": [(c.title, text(c.content)) for c in chapters],
        "word_count": work.word_count,
    }


def download(work: Work, form: str) -> bytes:
    if form == "txt":
        return flatten(build(work, "html").decode()).encode()
    return build(work, form)


@pytest.mark.parametrize("form", ["html", "epub", "txt"])
@pytest.mark.parametrize(("chapters", "notes"), [(1, True), (1, False), (3, True)])
def test_download_import_download_keeps_the_work(alice, bob, form, chapters, notes):
    original = generated_work(
        alice, random.Random(chapters * 10 + notes), chapters=chapters, notes=notes
    )
    result = do_import_file(f"w.{form}", download(original, form), pseud=bob.pseuds.get())
    assert result.status == "imported", result.line()
    assert result.notices == []
    imported = result.work
    plain = form == "txt"  # the text form keeps words, not paragraphs
    assert snapshot(imported, plain=plain) == snapshot(original, plain=plain)
    assert imported.imported_from.source_url.endswith(f"/works/{original.pk}")
    assert imported.imported_from.original_author == "alice"
    assert imported.published_at == original.published_at

    again = parse_source(download(imported, form))
    assert again.stated_words == original.word_count
    assert again.title == original.title


def test_the_stated_count_of_a_quire_download_equals_the_imported_count(alice, bob):
    original = generated_work(alice, random.Random(5), chapters=2, notes=True)
    for form in ("html", "epub", "txt"):
        parsed = parse_source(download(original, form))
        assert parsed.stated_words == original.word_count


def calibre_epub(html: bytes, folder) -> bytes:
    """The HTML download made into an EPUB by calibre's ebook-convert, as AO3 makes its
    EPUB downloads (which calibre splits into pages and restyles with classes of its own)."""
    source, target = folder / "work.html", folder / "work.epub"
    source.write_bytes(html)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(folder)}
    subprocess.run(  # noqa: S603 - a fixed program and our own file names
        [shutil.which("ebook-convert"), str(source), str(target)],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
        cwd=folder,
    )
    return target.read_bytes()


@pytest.mark.skipif(not shutil.which("ebook-convert"), reason="calibre is not installed")
@pytest.mark.parametrize(("chapters", "notes"), [(1, True), (3, True), (2, False)])
def test_calibres_epub_of_the_html_download_imports_as_the_work(
    alice, bob, tmp_path, chapters, notes
):
    original = generated_work(alice, random.Random(chapters + 40), chapters=chapters, notes=notes)
    data = calibre_epub(build(original, "html"), tmp_path)
    result = do_import_file("w.epub", data, pseud=bob.pseuds.get())
    assert result.status == "imported", result.line()
    assert result.notices == []
    assert snapshot(result.work, plain=False) == snapshot(original, plain=False)
    assert result.work.imported_from.original_author == "alice"
    assert result.work.imported_from.source_format == "EPUB download"


@pytest.mark.skipif(not shutil.which("ebook-convert"), reason="calibre is not installed")
def test_a_chapter_calibre_splits_over_two_pages_comes_back_whole(alice, bob, tmp_path):
    rng = random.Random(9)
    # Past calibre's 260 KB a page, so its EPUB carries the first chapter on two pages.
    long_text = format_user_text(paragraphs(rng, 1700), allow_class=True)
    assert len(long_text) > 300_000
    original = make_work(
        author=alice, title="Long", fandoms=("Little Women - Louisa May Alcott",), text=long_text
    )
    short = format_user_text(paragraphs(rng, 3), allow_class=True)
    do_add_chapter(original, ChapterInput(content=short, word_count=count_words(short)), post=True)
    original.refresh_from_db()
    data = calibre_epub(build(original, "html"), tmp_path)
    # Title page, preface (two pages), chapter 1 (two), chapter 2, afterword.
    assert len(read_book(data).documents) == 7
    result = do_import_file("w.epub", data, pseud=bob.pseuds.get())
    assert result.status == "imported", result.line()
    assert snapshot(result.work, plain=False) == snapshot(original, plain=False)


@pytest.mark.skipif(not shutil.which("ebook-convert"), reason="calibre is not installed")
def test_calibres_epub_keeps_chapter_notes_and_end_notes(alice, tmp_path):
    from quire.works.models import Chapter

    original = generated_work(alice, random.Random(3), chapters=2, notes=True)
    Work.objects.filter(pk=original.pk).update(endnotes="<p>Thanks for reading.</p>")
    Chapter.objects.filter(work=original, position=1).update(
        summary="<p>One summary.</p>", notes="<p>One notes.</p>", endnotes="<p>One end.</p>"
    )
    Chapter.objects.filter(work=original, position=2).update(endnotes="<p>Two end.</p>")
    html = build(Work.objects.get(pk=original.pk), "html")
    from_epub, from_html = parse_source(calibre_epub(html, tmp_path)), parse_source(html)
    assert from_epub.endnotes == from_html.endnotes == "<p>Thanks for reading.</p>"
    assert from_epub.chapters == from_html.chapters
    assert from_epub.chapters[0].endnotes == "<p>One end.</p>"
