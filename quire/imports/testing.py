"""Builders of AO3-style downloads for tests and bench/imports.py: the HTML download laid out
as AO3.md §10 describes, its flattened text form (the rules the samples follow), an EPUB in
AO3's layout and a FanFicFare-style EPUB. All text is generated and benign."""

import html
import io
import random
import re
import zipfile
from dataclasses import dataclass, field

import lxml.html

from quire.lib.wordcount import count_words

SITE = "https://archiveofourown.org"
WORDS = [
    "river",
    "island",
    "blanket",
    "harbor",
    "lantern",
    "chapel",
    "sketch",
    "biscuit",
    "market",
    "violin",
    "pocket",
    "scarf",
    "ribbon",
    "orchard",
    "archive",
    "ferry",
    "meadow",
    "window",
    "autumn",
    "letter",
    "sparrow",
    "marble",
    "candle",
    "compass",
    "quiet",
    "thunder",
    "morning",
    "garden",
    "kettle",
    "bridge",
    "lighthouse",
]


@dataclass
class ChapterSpec:
    text: str  # HTML
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


@dataclass
class WorkSpec:
    title: str = "The Ferry of Market"
    work_id: int = 101001
    authors: list[str] = field(default_factory=lambda: ["writer1001"])
    rating: str = "General Audiences"
    warnings: list[str] = field(default_factory=lambda: ["No Archive Warnings Apply"])
    categories: list[str] = field(default_factory=lambda: ["Gen"])
    fandoms: list[str] = field(default_factory=lambda: ["Sherlock Holmes - Arthur Conan Doyle"])
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = "English"
    published: str = "2021-06-19"
    updated: str = ""
    complete: bool = True
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    chapters: list[ChapterSpec] = field(
        default_factory=lambda: [
            ChapterSpec("<p>The rain had stopped by the time the letters came.</p>")
        ]
    )
    expected: int | None = None  # None: as many as there are (complete) or "?" (not)
    words: int | None = None  # None: AO3's count of the chapter texts
    singular_labels: bool = False

    @property
    def url(self) -> str:
        return f"{SITE}/works/{self.work_id}"


def sentences(rng: random.Random, count: int) -> str:
    out = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 15))]
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] += "\u2019s"
        out.append(" ".join(words).capitalize() + rng.choice(".!?"))
    return " ".join(out)


def paragraphs(rng: random.Random, count: int) -> str:
    return "".join(f"<p>{sentences(rng, rng.randint(1, 5))}</p>" for _ in range(count))


def random_spec(rng: random.Random, work_id: int, *, max_chapters: int = 4) -> WorkSpec:
    """A varied work: one-shot or chaptered, short or long, with or without notes."""
    chapters = [
        ChapterSpec(
            paragraphs(rng, rng.choice([1, 3, 8, 20, 60])),
            title=rng.choice(["", rng.choice(WORDS).capitalize()]),
        )
        for _ in range(rng.randint(1, max_chapters))
    ]
    return WorkSpec(
        title=f"The {rng.choice(WORDS).capitalize()} of {rng.choice(WORDS).capitalize()}",
        work_id=work_id,
        authors=[f"writer{work_id}"],
        rating=rng.choice(["General Audiences", "Teen And Up Audiences", "Mature"]),
        characters=rng.sample(["Jo March", "Jane Bennet", "Sherlock Holmes", "John Watson"], 2),
        freeforms=rng.sample(["Friendship", "Slice of Life", "Fluff", "Angst"], 2),
        published=f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        summary=f"<p>{sentences(rng, 2)}</p>",
        notes=rng.choice(["", f"<p>{sentences(rng, 1)}</p>"]),
        chapters=chapters,
    )


# --- HTML (AO3.md §10) -----------------------------------------------------------------------


def _tag_link(name: str) -> str:
    part = name
    for char, escape in (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        part = part.replace(char, escape)
    part = part.replace(" ", "%20")
    return f'<a href="{SITE}/tags/{html.escape(part)}">{html.escape(name)}</a>'


def _label(singular: str, plural: str, count: int, spec: WorkSpec) -> str:
    return singular if count == 1 or spec.singular_labels else plural


def words_of(spec: WorkSpec) -> int:
    if spec.words is not None:
        return spec.words
    return sum(count_words(chapter.text) for chapter in spec.chapters)


def build_html(spec: WorkSpec) -> str:
    esc = html.escape
    groups = [
        ("Rating:", "Rating:", [spec.rating]),
        ("Archive Warning:", "Archive Warnings:", spec.warnings),
        ("Category:", "Categories:", spec.categories),
        ("Fandom:", "Fandoms:", spec.fandoms),
        ("Relationship:", "Relationships:", spec.relationships),
        ("Character:", "Characters:", spec.characters),
        ("Additional Tags:", "Additional Tags:", spec.freeforms),
    ]
    dl = []
    for singular, plural, names in groups:
        if names:
            label = _label(singular, plural, len(names), spec)
            dl.append(f"<dt>{label}</dt><dd>{', '.join(map(_tag_link, names))}</dd>")
    dl.append(f"<dt>Language:</dt><dd>{esc(spec.language)}</dd>")
    posted = len(spec.chapters)
    expected = spec.expected or (posted if spec.complete else None)
    stats = f"Published: {spec.published}"
    if spec.updated:
        stats += f" {'Completed' if spec.complete else 'Updated'}: {spec.updated}"
    stats += f" Words: {words_of(spec):,} Chapters: {posted}/{expected or '?'}"
    dl.append(f"<dt>Stats:</dt><dd>{stats}</dd>")
    byline = ", ".join(
        f'<a rel="author" href="{SITE}/users/{esc(a)}/pseuds/{esc(a)}">{esc(a)}</a>'
        for a in spec.authors
    )
    preface = [
        '<div id="preface"><h2 class="toc-heading">Preface</h2>\n',
        f'<p class="message"><b>{esc(spec.title)}</b><br/>Posted originally on the '
        f'<a href="{SITE}/">Archive of Our Own</a> at <a href="{spec.url}">{spec.url}</a>.</p>\n',
        f'<div class="meta"><dl class="tags">{"".join(dl)}</dl>\n',
        f'<h1>{esc(spec.title)}</h1><div class="byline">by {byline}</div>\n',
    ]
    if spec.summary:
        preface.append(f'<p>Summary</p><blockquote class="userstuff">{spec.summary}</blockquote>\n')
    if spec.notes:
        preface.append(f'<p>Notes</p><blockquote class="userstuff">{spec.notes}</blockquote>')
    if spec.endnotes:
        more = "more notes" if spec.notes else "notes"
        preface.append(
            '<div class="endnote-link">See the end of the work for '
            f'<a href="#endnotes">{more}</a></div>'
        )
    preface.append("</div></div>\n")

    body = ['<div id="chapters" class="userstuff">']
    if len(spec.chapters) == 1 and (spec.expected or 1) == 1 and spec.complete:
        body.append(
            f'<h2 class="toc-heading">{esc(spec.title)}</h2>'
            f'<div class="userstuff">{spec.chapters[0].text}</div>'
        )
    else:
        for number, chapter in enumerate(spec.chapters, start=1):
            heading = f"Chapter {number}" + (f": {esc(chapter.title)}" if chapter.title else "")
            meta = [f'<div class="meta group"><h2 class="heading">{heading}</h2>']
            if chapter.summary:
                meta.append(
                    "<p>Chapter Summary</p>"
                    f'<blockquote class="userstuff">{chapter.summary}</blockquote>'
                )
            if chapter.notes:
                meta.append(
                    "<p>Chapter Notes</p>"
                    f'<blockquote class="userstuff">{chapter.notes}</blockquote>'
                )
            if chapter.endnotes:
                meta.append(
                    f'<div class="endnote-link">See the end of the chapter for '
                    f'<a href="#endnotes{number}">more notes</a></div>'
                )
            meta.append("</div>")
            body.append("".join(meta))
            body.append(
                f'<!--chapter content--><div class="userstuff">{chapter.text}</div>'
                "<!--/chapter content-->"
            )
            if chapter.endnotes:
                body.append(
                    f'<div class="meta" id="endnotes{number}"><p>Chapter End Notes</p>'
                    f'<blockquote class="userstuff">{chapter.endnotes}</blockquote></div>'
                )
    body.append("</div>\n")

    after = ['<div id="afterword"><h2 class="toc-heading">Afterword</h2>\n']
    if spec.endnotes:
        after.append(
            f'<div class="meta"><div id="endnotes"><p>End Notes</p>'
            f'<blockquote class="userstuff">{spec.endnotes}</blockquote></div></div>\n'
        )
    after.append(
        f'<p class="message">Please <a href="{spec.url}/comments/new">drop by the Archive and '
        "comment</a> to let the creator know if you enjoyed their work!</p></div>\n"
    )
    head_title = f"{spec.title} - {', '.join(spec.authors)} - {', '.join(spec.fandoms)}"
    return (
        "<!DOCTYPE html>\n"
        f'<html><head><meta charset="utf-8"/><title>{esc(head_title)}</title></head>\n'
        f"<body>{''.join(preface)}{''.join(body)}{''.join(after)}</body></html>\n"
    )


# --- The flattened text form -----------------------------------------------------------------

_HOST_SLASH = re.compile(r"^(https?://[^/\s]+/)(?=\S)")


def flatten(document: str) -> str:
    """An HTML download flattened as the sample .txt files are: one line, link texts with
    underscores for spaces, h1 framed by six asterisks and chapter headings by five, the
    section headings (Preface, Afterword, a one-shot's title) and the message's bold title
    left out, a URL wrapped after its host, no Language line, no "Chapters: 1/1", and the
    older afterword wording ("drop by the archive and comment ... let the author know")."""
    doc = lxml.html.document_fromstring(document)
    out: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = (element.get("class") or "").split() if tag else []
        if not tag:  # a comment
            out.append(element.tail or "")
            return
        if tag in ("head", "title") or (tag == "h2" and "toc-heading" in classes):
            out.append(element.tail or "")
            return
        if tag == "b" and element.getparent().get("class") == "message":
            return  # its tail is the <br/>'s business
        if tag == "br":
            out.append(" " + (element.tail or ""))
            return
        if tag == "dt" and element.text_content().strip() == "Language:":
            element.getnext().set("data-skip", "1")
            return
        if element.get("data-skip"):
            return
        if tag == "a":
            text = "_".join(element.text_content().split())
            if element.getparent().get("class") == "message" and "comment" in text:
                text = text.lower()
            out.append(_HOST_SLASH.sub(r"\1 ", text) + (element.tail or ""))
            return
        if tag == "h1":
            out.append(f" ****** {element.text_content().strip()} ****** ")
            out.append(element.tail or "")
            return
        if tag == "h2":
            out.append(f" ***** {element.text_content().strip()} ***** ")
            out.append(element.tail or "")
            return
        if tag == "dd" and element.getprevious().text_content().strip() == "Stats:":
            out.append(" " + element.text_content().replace(" Chapters: 1/1", "") + " ")
            out.append(element.tail or "")
            return
        out.append(" " + (element.text or ""))
        for child in element:
            walk(child)
        out.append(" " + (element.tail or ""))

    walk(doc.find("body"))
    text = " ".join("".join(out).split())
    return text.replace("to let the creator know", "to let the author know")


# --- EPUBs -----------------------------------------------------------------------------------

_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def _xhtml(title: str, body: str, body_class: str = "") -> str:
    cls = f' class="{body_class}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{html.escape(title)}</title></head><body{cls}>{body}</body></html>"
    )


def _zip(pages: list[tuple[str, str]], metadata: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", _CONTAINER)
        manifest = "".join(
            f'<item id="p{i}" href="{name}" media-type="application/xhtml+xml"/>'
            for i, (name, _) in enumerate(pages)
        )
        spine = "".join(f'<itemref idref="p{i}"/>' for i in range(len(pages)))
        archive.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
            'version="2.0" unique-identifier="id"><metadata '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"{metadata}</metadata><manifest>{manifest}</manifest><spine>{spine}</spine></package>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        for name, page in pages:
            archive.writestr(f"OEBPS/{name}", page, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def build_epub(spec: WorkSpec) -> bytes:
    """The HTML download's three parts as three XHTML pages of an EPUB, as AO3's EPUBs are."""
    doc = lxml.html.document_fromstring(build_html(spec))
    pages = []
    for part in ("preface", "chapters", "afterword"):
        # lxml-stubs types document_fromstring as returning _Element; it is an HtmlElement.
        element = doc.get_element_by_id(part)  # type: ignore[attr-defined]
        element.tail = None
        pages.append(
            (f"{part}.xhtml", _xhtml(spec.title, lxml.html.tostring(element, encoding="unicode")))
        )
    metadata = f"<dc:title>{html.escape(spec.title)}</dc:title>" + "".join(
        f"<dc:creator>{html.escape(a)}</dc:creator>" for a in spec.authors
    )
    return _zip(pages, metadata)


def build_fanficfare_epub(
    spec: WorkSpec, *, status: str = "Completed", ao3_entries: bool = False
) -> bytes:
    """An EPUB laid out as FanFicFare writes one for an AO3 work (its default title page
    entries and labels; Category holds the fandoms, Genre the additional tags then AO3's
    categories)."""
    esc = html.escape
    entries = [
        ("Category", ", ".join(spec.fandoms)),
        ("Genre", ", ".join([*spec.freeforms, *spec.categories])),
        ("Language", spec.language),
        ("Characters", ", ".join(spec.characters)),
        ("Relationships", ", ".join(spec.relationships)),
        ("Status", status),
        ("Published", spec.published),
        ("Updated", spec.updated or spec.published),
        ("Packaged", "2026-11-26 12:00:00"),
        ("Rating", spec.rating),
        ("Warnings", ", ".join(spec.warnings)),
        ("Chapters", str(len(spec.chapters))),
        ("Words", f"{words_of(spec):,}"),
        ("Publisher", "archiveofourown.org"),
    ]
    if ao3_entries:  # the AO3-specific title page entries many users configure instead
        total = str(len(spec.chapters)) if status == "Completed" else "?"
        entries[:2] = [
            ("Fandoms", ", ".join(spec.fandoms)),
            ("Freeform Tags", ", ".join(spec.freeforms)),
            ("AO3 Categories", ", ".join(spec.categories)),
        ]
        entries = [entry for entry in entries if entry[0] not in ("Chapters", "Status")]
        entries.append(("Chapters/Total Chapters", f"{len(spec.chapters)}/{total}"))
    lines = "".join(f"\n<b>{label}:</b> {esc(value)}<br />\n" for label, value in entries if value)
    if spec.summary:
        lines += f"\n<b>Summary:</b> {spec.summary}<br />\n"
    authors = ", ".join(
        f'<a href="{SITE}/users/{esc(a)}/pseuds/{esc(a)}">{esc(a)}</a>' for a in spec.authors
    )
    title_page = _xhtml(
        f"{spec.title} by {', '.join(spec.authors)}",
        f'<h3><a href="{spec.url}">{esc(spec.title)}</a> by {authors}</h3><div>{lines}</div>',
        "fff_titlepage",
    )
    pages = [("title_page.xhtml", title_page)]
    for number, chapter in enumerate(spec.chapters, start=1):
        heading = esc(f"{number}. {chapter.title}" if chapter.title else f"Chapter {number}")
        pages.append(
            (
                f"file{number:04}.xhtml",
                _xhtml(
                    heading,
                    f'<h3 class="fff_chapter_title">{heading}</h3>{chapter.text}',
                    "fff_chapter",
                ),
            )
        )
    metadata = (
        f'<dc:identifier id="id">fanficfare-uid:archiveofourown.org-s{spec.work_id}</dc:identifier>'
        f"<dc:title>{esc(spec.title)}</dc:title>"
        + "".join(f"<dc:creator>{esc(a)}</dc:creator>" for a in spec.authors)
        + "<dc:contributor>FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>"
    )
    return _zip(pages, metadata)
