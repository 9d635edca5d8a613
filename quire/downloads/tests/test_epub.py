"""EPUB 3: valid under epubcheck with no error or warning, AO3's metadata, one navigation entry
per chapter plus the preface and the afterword."""

import zipfile
from io import BytesIO

import pytest
from lxml import etree

from quire.downloads.formats import build, build_series_epub
from quire.downloads.queries import downloadable_series_works
from quire.lib.sanitize import format_user_text
from quire.testing import make_work, set_work_fields
from quire.works.models import Chapter

from .conftest import epubcheck

pytestmark = pytest.mark.django_db
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}

RICH_TEXT = "".join(
    "<p>Plain, <em>emphasis</em>, <strong>strong</strong>,"
    ' <a href="https://example.org/a b">a link</a>,\n'
    'a <a href="/works/1">relative link</a>, <a href="#nowhere">a dead anchor</a>,'
    ' <a name="here">a named anchor</a>\n'
    'and <a href="#here">a link to it</a>,'
    ' mail <a href="mailto:someone@example.org">me</a>.</p>\n'
    '<p align="center">Centred &amp; &nbsp;spaced &lt;text&gt;.</p>\n'
    "<center>Old centre</center><big>big</big> <tt>tt</tt> <strike>strike</strike>"
    ' <acronym title="x">AC</acronym>\n'
    '<p><img src="https://example.org/picture.png" alt="A picture"'
    ' width="100" align="left" border="0"></p>\n'
    '<p><a href="https://example.org/big.png">'
    '<img src="https://example.org/thumb.png" alt="thumb"></a></p>\n'
    '<table border="2" summary="s" width="80%" align="center">'
    "<caption>Figures</caption>\n"
    '<thead><tr><th scope="col" abbr="n" width="5">Name</th>'
    '<th scope="bogus">Value</th></tr></thead>\n'
    '<tbody><tr><td align="right" colspan="1" axis="a" height="3">One</td>'
    '<td rowspan="x">1</td></tr></tbody></table>\n'
    '<hr width="50%" align="left"><ul type="disc"><li>one</li></ul>'
    '<ol type="i" start="3"><li>three</li></ol>\n'
    '<blockquote cite="/quotes/1"><p>Quoted</p></blockquote>'
    '<q cite="https://example.org/q">quote</q>\n'
    "<details><p>Hidden detail</p></details><details open><summary>More</summary>"
    "<p>Yes</p></details>\n"
    "<figure><p>Figure body</p><figcaption>Caption</figcaption></figure>\n"
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> <dl><dt>Term</dt>"
    "<dd>Definition</dd></dl>\n"
    '<p lang="fr">Bonjour</p><p lang="not a lang">x</p><p dir="rtl">שלום</p>'
    '<p dir="sideways">y</p>\n'
    "<pre>  code\n"
    "  block</pre><p>H<sub>2</sub>O, E=mc<sup>2</sup>, <del>gone</del>"
    " <ins>new</ins> <u>u</u> <s>s</s>\n"
    "<small>small</small> <kbd>kbd</kbd> <samp>samp</samp> <var>var</var>"
    " <dfn>dfn</dfn> <cite>cite</cite>\n"
    '<code>code</code> <abbr title="abbr">ab</abbr> <i>i</i> <b>b</b>'
    " <span>span</span></p>\n"
    "<address>Somewhere</address><h1>H1</h1><h3>H3</h3><h6>H6</h6>"
    '<div class="custom">div</div>\n'
    '<table><colgroup span="2" width="10"><col span="1" width="5"></colgroup><tr>'
    "<td>x</td></tr></table>\n"
    "control\\x0ccharacter\n"
)


def unzip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(BytesIO(data))


def xml(book: zipfile.ZipFile, name: str):
    return etree.fromstring(book.read(name))


def chaptered(alice, **fields):
    work = make_work(
        author=alice,
        title="The Long Way",
        chapters=3,
        summary="<p>A <em>road</em> &amp; a river.</p>",
        notes="<p>Start notes</p>",
        endnotes="<p>End notes</p>",
        freeforms=("Fluff", "Road Trips"),
        characters=("Jane Bennet",),
        new_series_title="Journeys",
        **fields,
    )
    chapter = Chapter.objects.get(work=work, position=2)
    chapter.summary, chapter.notes, chapter.endnotes = "<p>s</p>", "<p>n</p>", "<p>e</p>"
    chapter.save()
    work.refresh_from_db()
    return work


def rich_work(alice):
    text = format_user_text(RICH_TEXT.replace("\\x0c", "\x0c"), allow_class=True)
    return make_work(author=alice, title="Everything", text=text, notes=text, endnotes=text)


def cjk_work(alice):
    text = "<p>春の夜の夢のごとし。</p><p>天下第一。</p>"
    return make_work(author=alice, title="春の夜", language="ja", text=text, summary="<p>夢</p>")


def series_with_parts(alice):
    first = chaptered(alice)
    series = first.series.get()
    make_work(author=alice, title="Second Leg", series=series, text="<p>Again.</p>")
    make_work(author=alice, title="Members Only", series=series, restricted=True)
    series.summary = "<p>A series &amp; more.</p>"
    series.save()
    return series


def test_generated_books_pass_epubcheck_without_errors_or_warnings(alice, bob, tmp_path):
    series = series_with_parts(alice)
    books = {
        "one-shot": build(make_work(author=alice), "epub"),
        "chaptered": build(series.works.get(title="The Long Way"), "epub"),
        "cjk": build(cjk_work(alice), "epub"),
        "rich": build(rich_work(alice), "epub"),
        "series": build_series_epub(series, downloadable_series_works(series, bob)),
    }
    assert epubcheck(books, tmp_path) == {name: [] for name in books}


def test_cjk_text_is_kept(alice):
    book = unzip(build(cjk_work(alice), "epub"))
    assert "春の夜の夢のごとし" in book.read("OEBPS/chapter_001.xhtml").decode()
    assert xml(book, "OEBPS/content.opf").findtext(".//dc:language", namespaces=NS) == "ja"


def test_links_images_and_old_html_are_made_epub_safe(alice):
    page = unzip(build(rich_work(alice), "epub")).read("OEBPS/chapter_001.xhtml").decode()
    assert 'href="https://quire.example.org/works/1"' in page  # relative links made absolute
    assert 'href="https://example.org/a%20b"' in page
    assert 'href="https://example.org/picture.png"' in page  # images become links
    assert "[A picture]" in page and "<img" not in page
    assert '<span id="here">' in page and 'href="#here"' in page
    assert 'href="#nowhere"' not in page
    assert "<center" not in page and "<tt" not in page and "<strike" not in page
    assert "<summary>Details</summary>" in page
    assert "\x0c" not in page


def test_a_series_epub_has_each_visible_work_as_a_part(alice, bob):
    from django.contrib.auth.models import AnonymousUser

    series = series_with_parts(alice)
    guest_works = list(downloadable_series_works(series, AnonymousUser()))
    book = unzip(build_series_epub(series, guest_works))
    nav = xml(book, "OEBPS/nav.xhtml")
    top = nav.xpath("//x:nav/x:ol/x:li", namespaces=NS)
    assert [li.findtext("x:a", namespaces=NS) for li in top] == [
        "Journeys",
        "Part 1: The Long Way",
        "Part 2: Second Leg",
    ]
    parts = [li.xpath("x:ol/x:li/x:a/text()", namespaces=NS) for li in top[1:]]
    assert parts == [
        ["Preface", "Chapter 1", "Chapter 2: Part 2", "Chapter 3: Part 3", "Afterword"],
        ["Preface", "Second Leg", "Afterword"],
    ]
    opf = xml(book, "OEBPS/content.opf")
    assert opf.findtext(".//dc:title", namespaces=NS) == "Journeys"
    assert opf.findtext(".//dc:description", namespaces=NS) == "A series & more."
    reader_works = list(downloadable_series_works(series, bob))
    assert [w.title for w in reader_works] == ["The Long Way", "Second Leg", "Members Only"]


def test_the_package_carries_ao3s_metadata(alice):
    work = chaptered(alice)
    book = unzip(build(work, "epub"))
    assert book.namelist()[0] == "mimetype"
    assert book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert book.read("mimetype") == b"application/epub+zip"
    opf = xml(book, "OEBPS/content.opf")
    meta = opf.find("opf:metadata", NS)
    assert meta.findtext("dc:title", namespaces=NS) == "The Long Way"
    assert [c.text for c in meta.findall("dc:creator", NS)] == ["alice"]
    assert meta.findtext("dc:language", namespaces=NS) == "en"
    assert meta.findtext("dc:publisher", namespaces=NS) == "Quire"
    assert meta.findtext("dc:date", namespaces=NS) == work.revised_at.date().isoformat()
    assert meta.findtext("dc:description", namespaces=NS) == "A road & a river."
    assert [s.text for s in meta.findall("dc:subject", NS)] == [
        "Fanworks",
        "General Audiences",
        "No Archive Warnings Apply",
        "Gen",
        "Pride and Prejudice - Jane Austen",
        "Jane Bennet",
        "Fluff",
        "Road Trips",
    ]
    collection = meta.find("opf:meta[@property='belongs-to-collection']", NS)
    assert collection.text == "Journeys"
    refines = f"#{collection.get('id')}"
    position = meta.find(f"opf:meta[@refines='{refines}'][@property='group-position']", NS)
    assert position.text == "1"
    assert meta.find("opf:meta[@name='calibre:series']", NS).get("content") == "Journeys"


def test_the_table_of_contents_has_preface_chapters_and_afterword(alice):
    book = unzip(build(chaptered(alice), "epub"))
    expected = ["Preface", "Chapter 1", "Chapter 2: Part 2", "Chapter 3: Part 3", "Afterword"]
    nav = xml(book, "OEBPS/nav.xhtml")
    toc = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:a", namespaces=NS)
    assert [a.text for a in toc] == expected
    hrefs = [a.get("href") for a in toc]
    assert hrefs == [
        "preface.xhtml",
        "chapter_001.xhtml",
        "chapter_002.xhtml",
        "chapter_003.xhtml",
        "afterword.xhtml",
    ]
    assert all(" " not in href for href in hrefs)
    ncx = xml(book, "OEBPS/toc.ncx")
    assert ncx.xpath("//ncx:navPoint/ncx:navLabel/ncx:text/text()", namespaces=NS) == expected
    spine = xml(book, "OEBPS/content.opf").xpath("//opf:itemref/@idref", namespaces=NS)
    assert len(spine) == 5
    preface = book.read("OEBPS/preface.xhtml").decode()
    assert 'href="afterword.xhtml#endnotes"' in preface


def test_a_one_shot_lists_its_title_not_chapter_1(alice):
    book = unzip(build(make_work(author=alice, title="Alone"), "epub"))
    nav = xml(book, "OEBPS/nav.xhtml")
    assert nav.xpath("//x:nav/x:ol/x:li/x:a/text()", namespaces=NS) == [
        "Preface",
        "Alone",
        "Afterword",
    ]


def test_language_codes_become_bcp47(alice):
    from quire.downloads.formats.epub import epub_language

    assert epub_language("ptBR") == "pt-BR"
    assert epub_language("en") == "en"
    assert epub_language("zh") == "zh"
    assert epub_language("not a language") == "und"


def test_an_anonymous_work_names_no_creator(alice):
    work = make_work(author=alice)
    set_work_fields(work, anonymous=True)
    work.refresh_from_db()
    data = build(work, "epub")
    opf = xml(unzip(data), "OEBPS/content.opf")
    assert [c.text for c in opf.findall(".//dc:creator", NS)] == ["Anonymous"]
