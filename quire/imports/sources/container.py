"""The EPUB container, read for both EPUB sources (epub.py for AO3's layout, fanficfare.py).

A zip declares how big each file unpacks to, and may lie; a spine may list one page many
times. So nothing declared is trusted: every member is read through a bounded stream that
counts the bytes it actually unpacks against one budget for the whole book, and each page of
the spine is read once. Past the budget the book is refused with the reason.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

import lxml.etree

from .base import NotAWork

# The bytes one book may unpack to, all files together: an e-book's text is never near this.
MAX_UNPACKED = 64_000_000
_CHUNK = 64 * 1024

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DAMAGED = "is not a readable EPUB (the zip or its package file is damaged)"


@dataclass
class Book:
    metadata: dict[str, list[str]] = field(default_factory=dict)
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # spine order, each once
    unpacked: int = 0  # bytes actually read from the zip


def is_epub(data: bytes) -> bool:
    return data[:2] == b"PK" and b"mimetype" in data[:100] and b"epub" in data[:200]


def read_book(data: bytes) -> Book:
    """The book's metadata and spine pages, or NotAWork saying why not."""
    book = Book()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        container = lxml.etree.fromstring(_read(archive, "META-INF/container.xml", book))
        rootfile = container.find(".//c:rootfile", _NS)
        opf_path = rootfile.get("full-path") if rootfile is not None else None
        if not opf_path:
            raise NotAWork(_DAMAGED)
        opf = lxml.etree.fromstring(_read(archive, opf_path, book))
        metadata = opf.find("opf:metadata", _NS)
        for element in metadata if metadata is not None else []:
            if isinstance(element.tag, str) and element.text:
                name = lxml.etree.QName(element).localname
                book.metadata.setdefault(name, []).append(element.text.strip())
        manifest = {
            item.get("id"): item.get("href") for item in opf.findall("opf:manifest/opf:item", _NS)
        }
        base = posixpath.dirname(opf_path)
        seen: set[str] = set()
        for ref in opf.findall("opf:spine/opf:itemref", _NS):
            href = manifest.get(ref.get("idref"))
            if not href:
                continue
            path = posixpath.normpath(posixpath.join(base, href))
            if path not in seen:
                seen.add(path)
                book.documents.append((path, _read(archive, path, book)))
    except NotAWork:
        raise
    except (zipfile.BadZipFile, KeyError, AttributeError, lxml.etree.XMLSyntaxError, EOFError):
        raise NotAWork(_DAMAGED) from None
    except (OSError, zipfile.LargeZipFile, RuntimeError, ValueError):
        raise NotAWork(_DAMAGED) from None
    if not book.documents:
        raise NotAWork("is an EPUB with no pages in its spine")
    return book


def _read(archive: zipfile.ZipFile, name: str, book: Book) -> bytes:
    """One member's bytes, read a chunk at a time and never more than the book's budget has
    left (so a lying size or a bomb stops at the budget, not at the end of the member)."""
    chunks = []
    with archive.open(name) as member:
        while True:
            left = MAX_UNPACKED - book.unpacked
            chunk = member.read(min(_CHUNK, left + 1))
            if not chunk:
                break
            book.unpacked += len(chunk)
            if book.unpacked > MAX_UNPACKED:
                raise NotAWork(
                    f"unpacks to more than {MAX_UNPACKED // 1_000_000} MB, far more than an "
                    "e-book's text"
                )
            chunks.append(chunk)
    return b"".join(chunks)
