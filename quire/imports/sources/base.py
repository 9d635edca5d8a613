"""What every source format parses into, and the error a file that is not a work raises.

A source module reads bytes and returns a `ParsedWork`: the work as the file describes it,
in the file's own words (tag names as written, the rating as labelled). Mapping those words
onto Quire's fixed sets and limits is `imports.mapping`'s job, so every format maps alike.
"""

import datetime
import re
from dataclasses import dataclass, field


class NotAWork(ValueError):
    """The file is not a work this source can read; the message says what was wrong."""


@dataclass
class ParsedChapter:
    content: str  # HTML as the file had it (sanitized later)
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


@dataclass
class ParsedWork:
    title: str
    chapters: list[ParsedChapter]
    authors: list[str] = field(default_factory=list)
    source_url: str = ""
    site_name: str = ""
    ratings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    published: datetime.date | None = None
    updated: datetime.date | None = None
    stated_words: int | None = None
    stated_chapters: int | None = None
    expected_chapters: int | None = None
    # Things the reader of the import report should know (text that could not be separated,
    # a count that disagrees); the import still happens.
    notices: list[str] = field(default_factory=list)
    source_format: str = ""


_DATE = r"(\d{4}-\d{2}-\d{2})"
_STATS = {
    "published": re.compile(rf"Published:\s*{_DATE}"),
    "updated": re.compile(rf"(?:Updated|Completed):\s*{_DATE}"),
    "words": re.compile(r"Words:\s*([\d,.\s]*\d)"),
    "chapters": re.compile(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)"),
}


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def read_stats(text: str, work: ParsedWork) -> None:
    """AO3's "Stats:" line: Published, Updated or Completed, Words, Chapters."""
    if match := _STATS["published"].search(text):
        work.published = parse_date(match.group(1))
    if match := _STATS["updated"].search(text):
        work.updated = parse_date(match.group(1))
    if match := _STATS["words"].search(text):
        work.stated_words = int(re.sub(r"\D", "", match.group(1)))
    if match := _STATS["chapters"].search(text):
        work.stated_chapters = int(match.group(1))
        total = match.group(2)
        work.expected_chapters = None if total == "?" else int(total)


# AO3's labels in a download's preface (singular or plural by count), to ParsedWork fields.
LABELS = {
    "rating": "ratings",
    "ratings": "ratings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "additional tag": "freeforms",
}

_CHAPTER_HEADING = re.compile(r"^Chapter\s+\d+(?:\s*:\s*(.*))?$", re.DOTALL)


def chapter_title(heading: str) -> str:
    """ "Chapter 3: Title" -> "Title"; "Chapter 3" -> ""; anything else is the title."""
    heading = " ".join(heading.split())
    match = _CHAPTER_HEADING.match(heading)
    if match is None:
        return heading
    return (match.group(1) or "").strip()


def decode_text(data: bytes) -> str:
    """Downloads are UTF-8; anything else is reported rather than guessed at."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotAWork(
            f"is not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8 and try again"
        ) from None
