"""The EPUB container reader both EPUB sources share: it counts the bytes it actually
unpacks (never the sizes the zip declares), reads each spine page once, through bounded
streams, and refuses with a reason past its limit."""

import io
import struct
import zipfile

import pytest

from quire.imports.sources import NotAWork, container, parse_source
from quire.imports.testing import WorkSpec, build_epub

CONTAINER_XML = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def epub_with(pages: dict[str, bytes], spine: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER_XML)
        manifest = "".join(
            f'<item id="{name}" href="{name}" media-type="application/xhtml+xml"/>'
            for name in pages
        )
        itemrefs = "".join(f'<itemref idref="{name}"/>' for name in spine)
        archive.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            f"<metadata/><manifest>{manifest}</manifest><spine>{itemrefs}</spine></package>",
        )
        for name, page in pages.items():
            archive.writestr(f"OEBPS/{name}", page)
    return buffer.getvalue()


def page(size: int) -> bytes:
    return b"<html><body><p>" + b"word " * (size // 5) + b"</p></body></html>"


def test_both_epub_sources_use_the_one_container_reader():
    from quire.imports.sources import epub, fanficfare

    assert epub.read_book is container.read_book
    assert fanficfare.Book is container.Book


def test_a_page_the_spine_lists_many_times_is_read_once(monkeypatch):
    data = epub_with({"one.xhtml": page(4_000_000)}, ["one.xhtml"] * 64)
    monkeypatch.setattr(container, "MAX_UNPACKED", 8 * 1024 * 1024)
    book = container.read_book(data)
    assert [path for path, _ in book.documents] == ["OEBPS/one.xhtml"]
    assert book.unpacked < 4_100_000


def test_the_bytes_actually_unpacked_are_capped_with_a_reason(monkeypatch):
    monkeypatch.setattr(container, "MAX_UNPACKED", 1_000_000)
    pages = {f"p{n}.xhtml": page(300_000) for n in range(4)}
    with pytest.raises(NotAWork, match="unpacks to more than 1 MB"):
        parse_source(epub_with(pages, list(pages)))


def test_a_zip_that_lies_about_its_sizes_is_refused_with_a_reason(monkeypatch):
    monkeypatch.setattr(container, "MAX_UNPACKED", 1_000_000)
    data = bytearray(epub_with({"big.xhtml": page(5_000_000)}, ["big.xhtml"]))
    # Every entry claims to unpack to 10 bytes, in the central directory and local headers.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, 10)
        at = data.find(b"PK\x01\x02", at + 4)
    at = data.find(b"PK\x03\x04")
    while at != -1:
        struct.pack_into("<I", data, at + 22, 10)
        at = data.find(b"PK\x03\x04", at + 4)
    with pytest.raises(NotAWork, match="not a readable EPUB"):
        parse_source(bytes(data))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(container, "MAX_UNPACKED", 1_000_000)
    data = epub_with({"bomb.xhtml": b" " * 50_000_000}, ["bomb.xhtml"])
    assert len(data) < 200_000
    with pytest.raises(NotAWork, match="unpacks to more than 1 MB"):
        parse_source(data)


def test_an_ordinary_epub_still_reads():
    work = parse_source(build_epub(WorkSpec(title="Plain")))
    assert work.title == "Plain"
