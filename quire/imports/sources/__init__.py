"""Source formats an import reads: one module each, with `detect(data)` and `parse(data)`.

The registry is a list, tried in order; the first module whose `detect` accepts the bytes
parses them. EPUBs made by FanFicFare are told apart inside epub.parse, once the book is open.
"""

from . import epub, html, text
from .base import NotAWork, ParsedChapter, ParsedWork

SOURCES = [epub, text, html]

__all__ = ["SOURCES", "NotAWork", "ParsedChapter", "ParsedWork", "parse_source"]


def parse_source(data: bytes) -> ParsedWork:
    """The work a file holds, or NotAWork saying why it is not one."""
    if not data.strip():
        raise NotAWork("is empty")
    for source in SOURCES:
        if source.detect(data):
            return source.parse(data)
    raise NotAWork(
        "is not an AO3 download Quire can read (an HTML, EPUB or text download, or a "
        "FanFicFare EPUB)"
    )
