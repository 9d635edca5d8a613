"""The rules for a work's and a chapter's input, in one place (AO3.md §6).

`check_work_input` and `check_chapter_input` take the values a person typed, a file held or
an API request sent, already parsed into Python values (tag names split, pseuds and fixed tags
looked up), and return the typed input the actions take (`WorkInput`, `ChapterInput`: HTML
sanitized, words counted), or raise `InputErrors` naming each broken rule's field. The posting
form, the importers and the API call them, then the same `do_*`; nothing else decides what a
valid work is. Lengths are measured on the text as given (what the writer typed; an importer
gives the sanitized text of its file, which formatting again leaves unchanged).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from quire.accounts.models import Pseud
from quire.lib.sanitize import MarkupTooDeep, check_markup, format_user_text, strip_html
from quire.lib.wordcount import count_words
from quire.tags.actions import TYPE_SUFFIXES
from quire.tags.models import TAG_NAME_MAX, Tag, TagType
from quire.tags.names import tag_name_errors
from quire.tags.queries import names_taken_by_other_types

from .actions import ChapterInput, WorkInput
from .models import CHAPTER_MAX, CHAPTER_MIN, NOTES_MAX, SUMMARY_MAX, TITLE_MAX, Language, Work

MAX_USER_TAGS = 75
WHOLE_INPUT = "__all__"  # the field name of a rule about the input as a whole
REQUIRED = "This field is required."


@dataclass(frozen=True)
class Problem:
    """One broken rule: the field it names, a code callers may word their own way (the
    importers do), the message a person sees, and the figures in it."""

    field: str
    code: str
    message: str
    limit: int | None = None
    count: int | None = None


class InputErrors(Exception):
    """Every rule an input broke, in the order checked."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems

    def by_field(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.field, []).append(problem.message)
        return errors


class _Problems(list[Problem]):
    def add(self, field: str, code: str, message: str, **figures) -> None:
        self.append(Problem(field, code, message, **figures))

    def limit(self, field: str, text: str, limit: int) -> None:
        if len(text) > limit:
            # Django's own wording, which the forms always showed.
            self.add(
                field,
                "too_long",
                f"Ensure this value has at most {limit} characters (it has {len(text)}).",
                limit=limit,
                count=len(text),
            )

    def markup(self, field: str, text: str, limit: int | None = None) -> bool:
        """Whether `text` may be cleaned: refused (too_deep) when nested past the sanitizer's
        limit, which is measured in linear time before any parse. Text already over `limit`
        has its length error and is not scanned."""
        if limit is not None and len(text) > limit:
            return False
        try:
            check_markup(text)
        except MarkupTooDeep as error:
            self.add(field, "too_deep", error.messages[0])
            return False
        return True

    def preface(self, summary: str, notes: str, endnotes: str) -> None:
        """A work's or a chapter's summary, notes and end notes: within their limits, and
        nested no deeper than the sanitizer allows."""
        for field, text, limit in (
            ("summary", summary, SUMMARY_MAX),
            ("notes", notes, NOTES_MAX),
            ("endnotes", endnotes, NOTES_MAX),
        ):
            self.limit(field, text or "", limit)
            self.markup(field, text or "", limit)

    def raise_any(self) -> None:
        if self:
            raise InputErrors(list(self))


def check_chapter_input(
    *, content: str, title: str = "", summary: str = "", notes: str = "", endnotes: str = ""
) -> ChapterInput:
    """A chapter's text and preface: at least CHAPTER_MIN characters of text (white space
    aside), at most CHAPTER_MAX; title, summary and notes within their limits."""
    problems = _Problems()
    content = content or ""
    if content and len(content) < CHAPTER_MIN:
        problems.add(
            "content",
            "too_short",
            f"Ensure this value has at least {CHAPTER_MIN} characters (it has {len(content)}).",
            limit=CHAPTER_MIN,
        )
    elif len(content.strip()) < CHAPTER_MIN:
        problems.add(
            "content",
            "too_short",
            "Brevity is the soul of wit, but your content does have to be at least "
            f"{CHAPTER_MIN} characters long.",
            limit=CHAPTER_MIN,
        )
    problems.limit("content", content, CHAPTER_MAX)
    problems.markup("content", content, CHAPTER_MAX)
    title = strip_html(title or "") if problems.markup("title", title or "") else ""
    problems.limit("title", title, TITLE_MAX)
    problems.preface(summary, notes, endnotes)
    problems.raise_any()
    text = format_user_text(content, allow_class=True)
    return ChapterInput(
        title=title,
        summary=format_user_text(summary or ""),
        notes=format_user_text(notes or "", allow_class=True),
        endnotes=format_user_text(endnotes or "", allow_class=True),
        content=text,
        word_count=count_words(text),
    )


def check_work_input(
    *,
    title: str,
    pseuds: list[Pseud],
    rating: Tag | None,
    warnings: list[Tag],
    fandoms: list[str],
    language: Language | None,
    categories: Sequence[Tag] = (),
    relationships: Sequence[str] = (),
    characters: Sequence[str] = (),
    freeforms: Sequence[str] = (),
    summary: str = "",
    notes: str = "",
    endnotes: str = "",
    expected_chapters: int | None = 1,
    series=None,
    new_series_title: str = "",
    work: Work | None = None,
    **settings,
) -> WorkInput:
    """A work's metadata: a title, a creator, a rating, an archive warning and a fandom;
    tag names the archive can hold; at most MAX_USER_TAGS fandom, relationship, character
    and additional tags; a series or a new series' title, not both; never fewer expected
    chapters than `work` (when editing) has posted. `settings` are WorkInput's remaining
    fields (restricted, comment_permission, series_position, backdate ...), passed through.
    """
    problems = _Problems()
    typed_title = title or ""
    readable = problems.markup("title", typed_title)
    title = strip_html(typed_title) if readable else ""
    if not typed_title:
        problems.add("title", "required", REQUIRED)
    elif not title and readable:
        problems.add("title", "blank", "Please enter a title.")
    problems.limit("title", title, TITLE_MAX)
    if not pseuds:
        problems.add("pseuds", "required", REQUIRED)
    if rating is None:
        problems.add("rating", "required", REQUIRED)
    if not warnings:
        problems.add("warnings", "required", REQUIRED)
    if language is None:
        problems.add("language", "required", REQUIRED)
    tag_lists = {
        "fandoms": (list(fandoms), TagType.FANDOM),
        "relationships": (list(relationships), TagType.RELATIONSHIP),
        "characters": (list(characters), TagType.CHARACTER),
        "freeforms": (list(freeforms), TagType.FREEFORM),
    }
    for field, (names, tag_type) in tag_lists.items():
        for message in [m for name in names for m in tag_name_errors(name)] + (
            _typed_name_errors(names, tag_type)
        ):
            problems.add(field, "bad_tag", message)
    if not fandoms:
        problems.add("fandoms", "required", "Please fill in at least one fandom.")
    total = sum(len(names) for names, _ in tag_lists.values())
    if total > MAX_USER_TAGS:
        problems.add(
            WHOLE_INPUT,
            "too_many_tags",
            f"Fandom, relationship, character, and additional tags must not add up to more "
            f"than {MAX_USER_TAGS}. Your work has {total} of these tags, so you must remove "
            f"{total - MAX_USER_TAGS} of them.",
            limit=MAX_USER_TAGS,
            count=total,
        )
    problems.preface(summary, notes, endnotes)
    new_series_title = (
        strip_html(new_series_title or "")
        if problems.markup("new_series_title", new_series_title or "")
        else ""
    )
    problems.limit("new_series_title", new_series_title, TITLE_MAX)
    if series is not None and new_series_title:
        problems.add(
            "new_series_title",
            "series_twice",
            "Choose an existing series or name a new one, not both.",
        )
    posted = work.posted_chapter_count if work is not None else 0
    if expected_chapters is not None and expected_chapters < posted:
        problems.add(
            "expected_chapters",
            "below_posted",
            f"The work already has {posted} posted chapters.",
            limit=posted,
        )
    problems.raise_any()
    assert rating is not None and language is not None  # noqa: S101 - checked above
    return WorkInput(
        title=title,
        pseuds=list(pseuds),
        summary=format_user_text(summary or ""),
        notes=format_user_text(notes or "", allow_class=True),
        endnotes=format_user_text(endnotes or "", allow_class=True),
        rating=rating,
        warnings=list(warnings),
        categories=list(categories),
        fandoms=list(fandoms),
        relationships=list(relationships),
        characters=list(characters),
        freeforms=list(freeforms),
        language=language,
        expected_chapters=expected_chapters,
        series=series,
        new_series_title=new_series_title,
        **settings,
    )


def tag_name_problems(name: str) -> list[str]:
    """What is wrong with one tag name on its own (length, characters); an importer drops
    such a name with a notice rather than refusing the file."""
    return tag_name_errors(name)


def _typed_name_errors(names: list[str], tag_type: TagType) -> list[str]:
    """A name held by a tag of another type becomes "NAME - Type" (AO3.md §2), and that
    name must fit the limit too. Only names near the limit need the query."""
    suffix = f" - {TYPE_SUFFIXES[tag_type]}"
    near_limit = [name for name in names if len(name) <= TAG_NAME_MAX < len(name + suffix)]
    if not near_limit:
        return []
    taken = names_taken_by_other_types(near_limit, tag_type)
    return [
        f'"{name[:40]}…" is already a tag of another kind, and "{name[:40]}…{suffix}" would '
        f"be too long (maximum is {TAG_NAME_MAX} characters)."
        for name in near_limit
        if name.lower() in taken
    ]
