"""EPUB downloads: reading the container, and AO3's own layout inside it.

An AO3-style EPUB carries the HTML download's markup (preface, chapters, afterword), split
over several XHTML files; joined in spine order they read exactly like the HTML download, so
html.parse_document does the rest. FanFicFare's EPUBs have their own layout (fanficfare.py).
The zip itself is read by container.py, for both.
"""

import lxml.etree
import lxml.html

from . import html
from .base import ParsedWork
from .container import Book, is_epub, read_book

__all__ = ["NAME", "Book", "body_html", "detect", "parse", "parse_book", "read_book"]

NAME = "EPUB download"


def detect(data: bytes) -> bool:
    return is_epub(data)


def body_html(document: bytes) -> str:
    try:
        doc = lxml.html.document_fromstring(document)
    except (lxml.etree.ParserError, ValueError):
        return ""
    body = doc.find(".//body")
    return html.inner_html(body) if body is not None else ""


def parse(data: bytes) -> ParsedWork:
    from . import fanficfare  # it builds on this module

    book = read_book(data)
    if fanficfare.is_fanficfare(book):
        return fanficfare.parse_book(book)
    return parse_book(book)


def parse_book(book: Book) -> ParsedWork:
    body = lxml.html.Element("body")
    for _, document in book.documents:
        page = _body(document)
        if page is not None:
            _continue(body, page)
    doc = lxml.html.document_fromstring("<html><body></body></html>")
    empty = doc.find("body")
    if empty is not None:  # always: the document above has one
        doc.replace(empty, body)
    if _made_by_calibre(doc):
        # calibre renames every class after the style it computed (userstuff, meta, byline
        # and tags become "calibre1", every paragraph "message"): the layout is read by its
        # structure instead, and no class it made up is kept in the text.
        for part in (doc.find(".//*[@id='chapters']"), doc.find(".//*[@id='afterword']")):
            for element in part.iter() if part is not None else ():
                element.attrib.pop("class", "")
        for quote in doc.iter("blockquote"):
            for element in quote.iter():
                element.attrib.pop("class", "")
    work = html.parse_document(doc)
    work.source_format = NAME
    return work


def _body(document: bytes):
    try:
        doc = lxml.html.document_fromstring(document)
    except (lxml.etree.ParserError, ValueError):
        return None
    return doc.find(".//body")


def _continue(joined, page) -> None:
    """Append a page's body to the book's: a page that opens inside an element the last page
    ended in (calibre splits the HTML at chapter breaks and repeats the open elements, ids
    and all, on the next page) continues that element instead of starting another."""
    last = joined[-1] if len(joined) else None
    if page.text and page.text.strip():
        if last is not None:
            last.tail = (last.tail or "") + page.text
        else:
            joined.text = (joined.text or "") + page.text
    for child in list(page):
        last = joined[-1] if len(joined) else None
        same = (
            last is not None
            and isinstance(child.tag, str)
            and child.get("id")
            and last.tag == child.tag
            and last.get("id") == child.get("id")
        )
        if same and last is not None:
            tail = child.tail
            child.tail = None
            _continue(last, child)
            last.tail = (last.tail or "") + (tail or "")
        else:
            joined.append(child)


def _made_by_calibre(doc) -> bool:
    return any(
        (element.get("class") or "").startswith("calibre")
        for element in doc.iter()
        if isinstance(element.tag, str)
    )
