"""PDF (WeasyPrint) with a bookmark per chapter; AZW3 and MOBI through calibre when present."""

import shutil
import zipfile
from io import BytesIO

import pytest
from pypdf import PdfReader

from quire.downloads.formats import build
from quire.testing import make_work

pytestmark = pytest.mark.django_db

HEADINGS_IN_TEXT = "<h1>Not a bookmark</h1><p>The rain had stopped.</p><h2>Nor this</h2>"


def outline_titles(data: bytes) -> list[str]:
    return [item.title for item in PdfReader(BytesIO(data)).outline if not isinstance(item, list)]


def test_a_chaptered_pdf_has_one_bookmark_per_chapter(alice):
    work = make_work(author=alice, chapters=3, text=HEADINGS_IN_TEXT, endnotes="<p>Bye</p>")
    data = build(work, "pdf")
    assert data.startswith(b"%PDF-")
    assert outline_titles(data) == [
        "Preface",
        "Chapter 1",
        "Chapter 2: Part 2",
        "Chapter 3: Part 3",
        "Afterword",
    ]
    reader = PdfReader(BytesIO(data))
    assert reader.metadata.title.startswith("A Quiet Afternoon - alice")
    assert reader.metadata.author == "alice"
    assert len(reader.pages) >= 5  # each chapter starts a page
    text = reader.pages[0].extract_text()
    assert "Posted originally on the Quire" in text


def test_a_one_shot_pdf_bookmarks_its_title(alice):
    data = build(make_work(author=alice, title="Alone"), "pdf")
    assert outline_titles(data) == ["Preface", "Alone", "Afterword"]


def test_a_pdf_never_fetches_images_from_the_web(alice):
    text = '<p><img src="http://127.0.0.1:9/never.png" alt="offline"></p>'
    assert build(make_work(author=alice, text=text), "pdf").startswith(b"%PDF-")


needs_calibre = pytest.mark.skipif(
    not shutil.which("ebook-convert"), reason="calibre is not installed"
)


@needs_calibre
def test_azw3_and_mobi_are_made_by_calibre(alice, client):
    work = make_work(author=alice, title="Kindle Ready", chapters=2)
    azw3 = client.get(f"/downloads/{work.pk}/Kindle_Ready.azw3")
    assert azw3.status_code == 200
    assert azw3["Content-Disposition"] == 'attachment; filename="Kindle_Ready.azw3"'
    assert azw3["Content-Type"] == "application/vnd.amazon.ebook"
    assert b"BOOKMOBI" in b"".join(azw3.streaming_content)[:100]
    mobi = client.get(f"/downloads/{work.pk}/Kindle_Ready.mobi")
    assert mobi.status_code == 200
    assert mobi["Content-Type"] == "application/x-mobipocket-ebook"
    assert b"BOOKMOBI" in b"".join(mobi.streaming_content)[:100]


@needs_calibre
def test_calibre_reads_quires_epub_metadata(alice, tmp_path):
    """The EPUB calibre converts carries the series and tags calibre shows."""
    import subprocess

    work = make_work(author=alice, title="Meta", new_series_title="Cycle", freeforms=("Fluff",))
    path = tmp_path / "meta.epub"
    path.write_bytes(build(work, "epub"))
    assert zipfile.is_zipfile(path)
    shown = subprocess.run(  # noqa: S603
        [shutil.which("ebook-meta"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    ).stdout
    assert "Cycle #1" in shown
    assert "Fanworks" in shown and "Fluff" in shown
    assert "Publisher           : Quire" in shown
