"""EPUB downloads: reading the container, and AO3's own layout inside it.

An AO3-style EPUB carries the HTML download's markup (preface, chapters, afterword), split
over several XHTML files; joined in spine order they read exactly like the HTML download, so
html.parse_document does the rest. FanFicFare's EPUBs have their own layout (fanficfare.py).
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from . import html
from .base import NotAWork, ParsedWork

NAME = "EPUB download"

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# A zip bomb guard: an e-book's text is never near this once unpacked.
MAX_UNPACKED = 64 * 1024 * 1024


@dataclass
class Book:
    metadata: dict[str, list[str]] = field(default_factory=dict)
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # spine order


def is_epub(data: bytes) -> bool:
    return data[:2] == b"PK" and b"mimetype" in data[:100] and b"epub" in data[:200]


def read_book(data: bytes) -> Book:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise NotAWork("unpacks to more than 64 MB, far more than an e-book's text")
        container = lxml.etree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", _NS)
        opf_path = rootfile.get("full-path") if rootfile is not None else None
        if not opf_path:
            raise NotAWork("is not a readable EPUB (the zip or its package file is damaged)")
        opf = lxml.etree.fromstring(archive.read(opf_path))
        book = Book()
        metadata = opf.find("opf:metadata", _NS)
        for element in metadata if metadata is not None else []:
            if isinstance(element.tag, str) and element.text:
                name = lxml.etree.QName(element).localname
                book.metadata.setdefault(name, []).append(element.text.strip())
        manifest = {
            item.get("id"): item.get("href") for item in opf.findall("opf:manifest/opf:item", _NS)
        }
        base = posixpath.dirname(opf_path)
        for ref in opf.findall("opf:spine/opf:itemref", _NS):
            href = manifest.get(ref.get("idref"))
            if href:
                path = posixpath.normpath(posixpath.join(base, href))
                book.documents.append((path, archive.read(path)))
    except NotAWork:
        raise
    except (zipfile.BadZipFile, KeyError, AttributeError, lxml.etree.XMLSyntaxError, EOFError):
        raise NotAWork("is not a readable EPUB (the zip or its package file is damaged)") from None
    except (OSError, zipfile.LargeZipFile, RuntimeError, ValueError):
        raise NotAWork("is not a readable EPUB (the zip or its package file is damaged)") from None
    if not book.documents:
        raise NotAWork("is an EPUB with no pages in its spine")
    return book


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
