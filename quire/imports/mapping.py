"""From a file's own words to Quire's: fixed tag sets, limits, sanitized text, word counts.

AO3.md §1: foreign ratings map by their usual names; warnings and categories outside the
fixed sets become additional tags; older AO3 names map to today's.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from quire.accounts.models import Pseud
from quire.lib.sanitize import MAX_NESTING, MarkupTooDeep, format_user_text, strip_html
from quire.lib.wordcount import count_words
from quire.tags.fixed import CATEGORIES, CHOOSE_NOT_TO_WARN, RATINGS, WARNINGS
from quire.tags.models import TAG_NAME_MAX, Tag
from quire.tags.names import FORBIDDEN_CHARACTERS
from quire.works.actions import ChapterInput, WorkInput
from quire.works.forms import MAX_USER_TAGS
from quire.works.models import CHAPTER_MAX, CHAPTER_MIN, NOTES_MAX, SUMMARY_MAX, TITLE_MAX, Language

from .sources import NotAWork, ParsedWork

# Lower-cased foreign or older names -> the fixed name.
_RATINGS = {name.lower(): name for name in RATINGS} | {
    **dict.fromkeys(["nc-17", "x", "ma", "explicit", "xxx"], "Explicit"),
    **dict.fromkeys(["r", "m", "mature"], "Mature"),
    **dict.fromkeys(["pg-13", "t", "teen", "teen and up", "teens"], "Teen And Up Audiences"),
    **dict.fromkeys(["pg", "g", "k", "k+", "general", "general audiences"], "General Audiences"),
}
_WARNINGS = {name.lower(): name for name in WARNINGS} | {
    "creator chose not to use archive warnings": CHOOSE_NOT_TO_WARN,
    "author chose not to use archive warnings": CHOOSE_NOT_TO_WARN,
    "choose not to warn": CHOOSE_NOT_TO_WARN,
    "underage": "Underage Sex",
    "no archive warnings apply": "No Archive Warnings Apply",
    "rape/non-con": "Rape/Non-Con",
    "major character death": "Major Character Death",
    "graphic depictions of violence": "Graphic Depictions Of Violence",
}
_CATEGORIES = {name.lower(): name for name in CATEGORIES}


@dataclass
class Mapped:
    work: WorkInput
    chapters: list[ChapterInput]
    notices: list[str] = field(default_factory=list)


class Lookups:
    """The fixed tags and the languages, read once for many files (they change only through
    migrations and the admin, never mid-import in a way that matters for one run)."""

    def __init__(self) -> None:
        self._fixed: dict[str, Tag] | None = None
        self._languages: dict[str, Language] = {}

    def fixed(self) -> dict[str, Tag]:
        if self._fixed is None:
            self._fixed = {
                tag.name: tag for tag in Tag.objects.filter(canonical=True, name__in=_fixed_names())
            }
        return self._fixed

    def language(self, name: str) -> Language:
        key = (name or "").strip().casefold()
        if key not in self._languages:
            self._languages[key] = _language(name)
        return self._languages[key]


def map_work(
    parsed: ParsedWork, *, pseud: Pseud, restricted: bool, lookups: Lookups | None = None
) -> Mapped:
    lookups = lookups or Lookups()
    notices = list(parsed.notices)
    fixed = lookups.fixed()

    with _too_deep_is_not_a_work("a title"):
        title = strip_html(parsed.title)
    if not title:
        raise NotAWork("has no title")
    if len(title) > TITLE_MAX:
        raise NotAWork(f"has a title longer than {TITLE_MAX} characters")

    rating_names = [_RATINGS.get(name.lower(), "Not Rated") for name in parsed.ratings]
    rating = fixed[rating_names[0] if rating_names else "Not Rated"]
    freeforms = list(parsed.freeforms)
    warnings = []
    for name in parsed.warnings:
        known = _WARNINGS.get(name.lower())
        if known is None:
            freeforms.append(name)
        elif fixed[known] not in warnings:
            warnings.append(fixed[known])
    if not warnings:
        warnings = [fixed[CHOOSE_NOT_TO_WARN]]
    categories = []
    for name in parsed.categories:
        known = _CATEGORIES.get(name.lower())
        if known is None:
            freeforms.append(name)
        elif fixed[known] not in categories:
            categories.append(fixed[known])

    fandoms = _tag_names(parsed.fandoms, notices)
    if not fandoms:
        raise NotAWork("names no fandom")
    relationships = _tag_names(parsed.relationships, notices)
    characters = _tag_names(parsed.characters, notices)
    freeforms = _tag_names(freeforms, notices)
    total = len(fandoms) + len(relationships) + len(characters) + len(freeforms)
    if total > MAX_USER_TAGS:
        raise NotAWork(
            f"has {total} fandom, relationship, character and additional tags "
            f"(at most {MAX_USER_TAGS})"
        )

    chapters = []
    for number, chapter in enumerate(parsed.chapters, start=1):
        with _too_deep_is_not_a_work("text", f" (chapter {number})"):
            content = format_user_text(chapter.content, allow_class=True)
            words = strip_html(content)
        if len(words) < CHAPTER_MIN:
            raise NotAWork(f"has an empty chapter (chapter {number})")
        if len(content) > CHAPTER_MAX:
            raise NotAWork(
                f"has a chapter longer than {CHAPTER_MAX:,} characters (chapter {number})"
            )
        chapters.append(
            ChapterInput(
                content=content,
                title=strip_html(chapter.title)[:TITLE_MAX],
                summary=_limited(chapter.summary, SUMMARY_MAX, f"chapter {number}'s summary"),
                notes=_limited(chapter.notes, NOTES_MAX, f"chapter {number}'s notes", True),
                endnotes=_limited(
                    chapter.endnotes, NOTES_MAX, f"chapter {number}'s end notes", True
                ),
                word_count=count_words(content),
            )
        )
    if parsed.stated_chapters is not None and len(chapters) < parsed.stated_chapters:
        raise NotAWork(
            f"holds {len(chapters)} of the {parsed.stated_chapters} chapters it states, so it "
            "may be truncated"
        )
    counted = sum(chapter.word_count for chapter in chapters)
    if parsed.stated_words is not None and counted != parsed.stated_words:
        notices.append(
            f"the file states {parsed.stated_words:,} words but Quire counts {counted:,} in "
            "the text it holds (text changed or lost on the way); the work has Quire's count"
        )

    expected = len(chapters)
    if parsed.stated_chapters is not None:
        expected = parsed.expected_chapters
        if expected is not None and expected < len(chapters):
            expected = len(chapters)
    work = WorkInput(
        title=title,
        pseuds=[pseud],
        rating=rating,
        warnings=warnings,
        categories=categories,
        fandoms=fandoms,
        relationships=relationships,
        characters=characters,
        freeforms=freeforms,
        language=lookups.language(parsed.language),
        summary=_limited(parsed.summary, SUMMARY_MAX, "summary"),
        notes=_limited(parsed.notes, NOTES_MAX, "notes", True),
        endnotes=_limited(parsed.endnotes, NOTES_MAX, "end notes", True),
        restricted=restricted,
        expected_chapters=expected,
        backdate=parsed.published,
        revised_at=_midday(parsed.updated or parsed.published),
    )
    return Mapped(work=work, chapters=chapters, notices=notices)


def _midday(day: datetime.date | None) -> datetime.datetime | None:
    # A date without a time: noon UTC shows as that date in every time zone near UTC.
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _fixed_names() -> list[str]:
    return [*RATINGS, *WARNINGS, *CATEGORIES]


def _tag_names(names: list[str], notices: list[str]) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join(raw.split())
        if not name or name.casefold() in seen:
            continue
        if len(name) > TAG_NAME_MAX or FORBIDDEN_CHARACTERS & set(name):
            notices.append(f'the tag "{name[:60]}" breaks the archive\'s tag rules; left out')
            continue
        seen.add(name.casefold())
        kept.append(name)
    return kept


@contextmanager
def _too_deep_is_not_a_work(what: str, where: str = "") -> Iterator[None]:
    try:
        yield
    except MarkupTooDeep:
        raise NotAWork(f"has {what} nested more than {MAX_NESTING} elements deep{where}") from None


def _limited(value: str, limit: int, what: str, allow_class: bool = False) -> str:
    with _too_deep_is_not_a_work(f"a {what}"):
        text = format_user_text(value or "", allow_class=allow_class)
    if len(text) > limit:
        raise NotAWork(f"has a {what} longer than {limit:,} characters")
    return text


def _language(name: str) -> Language:
    name = (name or "").strip()
    found = None
    if name:
        found = (
            Language.objects.filter(name__iexact=name).first()
            or Language.objects.filter(code__iexact=name).first()
        )
    return found or Language.objects.get(code="en")
