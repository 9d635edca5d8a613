"""EPUBs made by FanFicFare (FFF) from AO3 works.

FFF writes a title page (title_page.xhtml, <body class="fff_titlepage">) with
"<h3><a href=STORY URL>Title</a> by <a href=AUTHOR URL>author</a></h3>" and one
"<b>Label:</b> value<br />" line per metadata entry (its defaults.ini titlepage_entries:
Series, Category, Genre, Language, Characters, Relationships, Status, Published, Updated,
Packaged, Rating, Warnings, Chapters, Words, Publisher, Summary; the AO3-specific entries
Fandoms, Freeform Tags, AO3 Categories and Chapters/Total Chapters that many users add are
read too), then one file per chapter
(<body class="fff_chapter"><h3 class="fff_chapter_title">...</h3> text). For AO3 it fills
Category with the fandoms and Genre with the additional tags followed by AO3's categories.
"""

import re

import lxml.etree
import lxml.html

from .base import NotAWork, ParsedChapter, ParsedWork, chapter_title, parse_date
from .container import Book
from .html import inner_html, text_of

NAME = "FanFicFare EPUB"

_CATEGORIES = {"F/F", "F/M", "Gen", "M/M", "Multi", "Other"}


def is_fanficfare(book: Book) -> bool:
    contributors = " ".join(book.metadata.get("contributor", []))
    return "FanFicFare" in contributors or any(
        b"fff_titlepage" in document for _, document in book.documents
    )


def _body(document: bytes):
    try:
        doc = lxml.html.document_fromstring(document)
    except (lxml.etree.ParserError, ValueError):
        return None
    return doc.find(".//body")


def parse_book(book: Book) -> ParsedWork:
    bodies = [body for body in (_body(doc) for _, doc in book.documents) if body is not None]
    title_page = next((b for b in bodies if "fff_titlepage" in (b.get("class") or "")), None)
    if title_page is None:
        raise NotAWork("is a FanFicFare EPUB without its title page")
    heading = title_page.find(".//h3")
    links = heading.findall(".//a") if heading is not None else []
    title = text_of(links[0]) if links else " ".join(book.metadata.get("title", []))
    work = ParsedWork(title=title, chapters=[], source_format=NAME)
    if links:
        work.source_url = links[0].get("href") or ""
        work.authors = [text_of(a) for a in links[1:]]
    if not work.authors:
        work.authors = book.metadata.get("creator", [])
    _read_entries(title_page, work)

    for body in bodies:
        if "fff_chapter" not in (body.get("class") or "").split():
            continue
        heading = body.find(".//h3")
        title = ""
        if heading is not None:
            title = _fff_chapter_title(text_of(heading))
            heading.getparent().remove(heading)
        work.chapters.append(ParsedChapter(content=inner_html(body), title=title))
    if not work.chapters:
        raise NotAWork("is a FanFicFare EPUB with no chapters")
    if work.stated_chapters and len(work.chapters) < work.stated_chapters:
        raise NotAWork(
            f"holds {len(work.chapters)} of the {work.stated_chapters} chapters it states, "
            "so it may be truncated"
        )
    return work


def _fff_chapter_title(heading: str) -> str:
    # FFF's AO3 chapter titles read "1. Title" (or the heading as the site gave it).
    heading = re.sub(r"^\d+\.\s*", "", heading)
    return chapter_title(heading)


def _read_entries(page, work: ParsedWork) -> None:
    """Each "<b>Label:</b> value<br />" on the title page."""
    container = page.find(".//div") if page.find(".//div") is not None else page
    in_progress = False
    for bold in container.findall("b"):
        label = text_of(bold).rstrip(":").strip().lower()
        parts = [bold.tail or ""]
        links: list[str] = []
        node = bold.getnext()
        value_html = []
        while node is not None and node.tag not in ("b", "br"):
            if node.tag == "a":
                links.append(text_of(node))
            value_html.append(lxml.html.tostring(node, encoding="unicode", with_tail=True))
            parts.append(node.text_content() + (node.tail or ""))
            node = node.getnext()
        value = " ".join("".join(parts).split())
        names = links or [name.strip() for name in value.split(",") if name.strip()]
        if label in ("category", "fandoms"):
            work.fandoms.extend(names)
        elif label in ("genre", "freeform tags", "ao3 categories"):
            for name in names:
                (work.categories if name in _CATEGORIES else work.freeforms).append(name)
        elif label == "characters":
            work.characters.extend(names)
        elif label in ("relationships", "ships"):
            work.relationships.extend(names)
        elif label == "rating":
            work.ratings.extend(names)
        elif label == "warnings":
            work.warnings.extend(names)
        elif label == "language":
            work.language = value
        elif label == "published":
            work.published = parse_date(value)
        elif label == "updated":
            work.updated = parse_date(value)
        elif label == "words":
            digits = re.sub(r"\D", "", value)
            work.stated_words = int(digits) if digits else None
        elif label in ("chapters", "chapters/total chapters"):
            posted, _, total = value.partition("/")
            digits = re.sub(r"\D", "", posted)
            work.stated_chapters = int(digits) if digits else None
            if total.strip() == "?":
                in_progress = True
        elif label == "status":
            in_progress = value.lower().startswith("in")
        elif label == "summary":
            work.summary = ((bold.tail or "") + "".join(value_html)).strip()
    if work.stated_chapters is not None:
        work.expected_chapters = None if in_progress else work.stated_chapters
