"""From a file's own words to Quire's: fixed tag sets, older names, sanitized text.

AO3.md §1: foreign ratings map by their usual names; warnings and categories outside the
fixed sets become additional tags; older AO3 names map to today's. The rules a work must
keep (limits, required fields, tag rules) are works.checks', the same the posting form
obeys; here a broken rule becomes NotAWork with the reason in the import's own words.
"""

import datetime
import html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from quire.accounts.models import Pseud
from quire.lib.sanitize import MAX_NESTING, MarkupTooDeep, format_user_text, strip_html
from quire.tags.fixed import CATEGORIES, CHOOSE_NOT_TO_WARN, RATINGS, WARNINGS
from quire.tags.models import Tag
from quire.works.actions import ChapterInput, WorkInput
from quire.works.checks import (
    InputErrors,
    Problem,
    check_chapter_input,
    check_work_input,
    tag_name_problems,
)
from quire.works.models import TITLE_MAX, Language

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
    relationships = _tag_names(parsed.relationships, notices)
    characters = _tag_names(parsed.characters, notices)
    freeforms = _tag_names(freeforms, notices)
    expected: int | None = len(parsed.chapters)
    if parsed.stated_chapters is not None:
        expected = parsed.expected_chapters
        if expected is not None and expected < len(parsed.chapters):
            expected = len(parsed.chapters)
    with _too_deep_is_not_a_work("a title"):
        strip_html(parsed.title)
    try:
        work = check_work_input(
            title=parsed.title,
            pseuds=[pseud],
            rating=rating,
            warnings=warnings,
            categories=categories,
            fandoms=fandoms,
            relationships=relationships,
            characters=characters,
            freeforms=freeforms,
            language=lookups.language(parsed.language),
            summary=_formatted(parsed.summary, "a summary"),
            notes=_formatted(parsed.notes, "a notes", allow_class=True),
            endnotes=_formatted(parsed.endnotes, "an end notes", allow_class=True),
            restricted=restricted,
            expected_chapters=expected,
            backdate=parsed.published,
            revised_at=_midday(parsed.updated or parsed.published),
        )
    except InputErrors as errors:
        raise NotAWork(_reason(errors.problems[0])) from None

    chapters = []
    for number, chapter in enumerate(parsed.chapters, start=1):
        try:
            with _too_deep_is_not_a_work("text", f" (chapter {number})"):
                chapters.append(
                    check_chapter_input(
                        content=format_user_text(chapter.content, allow_class=True),
                        # A file's long chapter title is cut, not refused; escaped again so
                        # the check's own strip_html reads back exactly this text.
                        title=html.escape(strip_html(chapter.title)[:TITLE_MAX]),
                        summary=format_user_text(chapter.summary or ""),
                        notes=format_user_text(chapter.notes or "", allow_class=True),
                        endnotes=format_user_text(chapter.endnotes or "", allow_class=True),
                    )
                )
        except InputErrors as errors:
            raise NotAWork(_reason(errors.problems[0], chapter=number)) from None
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
        if tag_name_problems(name):
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


def _formatted(value: str | None, what: str, *, allow_class: bool = False) -> str:
    # Sanitized before the limits, as the file's text has always been measured (formatting
    # is idempotent, so the check's own formatting changes nothing).
    with _too_deep_is_not_a_work(what):
        return format_user_text(value or "", allow_class=allow_class)


# A broken rule (works.checks) in an import's words: (field, code) -> reason. Chapter
# fields say which chapter.
_WORK_REASONS = {
    ("title", "required"): "has no title",
    ("title", "blank"): "has no title",
    ("title", "too_long"): "has a title longer than {limit} characters",
    ("fandoms", "required"): "names no fandom",
    ("__all__", "too_many_tags"): (
        "has {count} fandom, relationship, character and additional tags (at most {limit})"
    ),
    ("summary", "too_long"): "has a summary longer than {limit:,} characters",
    ("notes", "too_long"): "has a notes longer than {limit:,} characters",
    ("endnotes", "too_long"): "has a end notes longer than {limit:,} characters",
}
_CHAPTER_REASONS = {
    ("content", "too_short"): "has an empty chapter (chapter {chapter})",
    ("content", "too_long"): "has a chapter longer than {limit:,} characters (chapter {chapter})",
    ("summary", "too_long"): "has a chapter {chapter}'s summary longer than {limit:,} characters",
    ("notes", "too_long"): "has a chapter {chapter}'s notes longer than {limit:,} characters",
    ("endnotes", "too_long"): (
        "has a chapter {chapter}'s end notes longer than {limit:,} characters"
    ),
}


def _reason(problem: Problem, *, chapter: int | None = None) -> str:
    reasons = _WORK_REASONS if chapter is None else _CHAPTER_REASONS
    template = reasons.get((problem.field, problem.code))
    if template is None:
        where = f"chapter {chapter}'s " if chapter is not None else ""
        return f"breaks the archive's rules ({where}{problem.field}: {problem.message})"
    return template.format(limit=problem.limit, count=problem.count, chapter=chapter)


def _language(name: str) -> Language:
    name = (name or "").strip()
    found = None
    if name:
        found = (
            Language.objects.filter(name__iexact=name).first()
            or Language.objects.filter(code__iexact=name).first()
        )
    return found or Language.objects.get(code="en")
