"""The search form: AO3's GET parameters (AO3.md §9 "Filter sidebar", /works/search) read into a
WorkQuery, with a clear message for anything that can't be read and every typed value kept.

The same parameters serve every listing's sidebar and the advanced search page, so an AO3
listing URL works here with only the host changed. Free text may carry AO3's mini-language
(words>1000, kudos>10, hits:100-200, sort:hits, sort:>words, revised_at:<2 weeks).
"""

import datetime
import re
from dataclasses import dataclass, field, replace

from django.http import QueryDict
from django.utils import timezone

from quire.lib.numbers import INT64_MAX, UINT32_MAX, bounded_int, page_number
from quire.lib.text import has_control_character
from quire.tags.models import Tag, TagType
from quire.tags.names import split_tag_names, tag_key
from quire.works.models import Language

from .engines import ASCENDING_BY_DEFAULT, SORTS, Range, WorkQuery
from .text import And, Node, Not, Term, parse_query, tokens

# The sidebar's id lists, by AO3's parameter names, in AO3's order.
ID_PARAMS = {
    TagType.RATING: "rating_ids",
    TagType.WARNING: "archive_warning_ids",
    TagType.CATEGORY: "category_ids",
    TagType.FANDOM: "fandom_ids",
    TagType.CHARACTER: "character_ids",
    TagType.RELATIONSHIP: "relationship_ids",
    TagType.FREEFORM: "freeform_ids",
}
# The advanced search's comma-separated names, by tag type.
NAME_PARAMS = {
    TagType.FANDOM: "fandom_names",
    TagType.CHARACTER: "character_names",
    TagType.RELATIONSHIP: "relationship_names",
    TagType.FREEFORM: "freeform_names",
}
STAT_PARAMS = {
    "hits": "hits",
    "kudos": "kudos_count",
    "comments": "comments_count",
    "bookmarks": "bookmarks_count",
}
SORT_LABELS = {
    "_score": "Best Match",
    "authors_to_sort_on": "Creator",
    "title_to_sort_on": "Title",
    "created_at": "Date Posted",
    "revised_at": "Date Updated",
    "word_count": "Word Count",
    "hits": "Hits",
    "kudos_count": "Kudos",
    "comments_count": "Comments",
    "bookmarks_count": "Bookmarks",
}
# Names the mini-language accepts for sorting and for ranges.
SORT_WORDS = {
    "words": "word_count",
    "word_count": "word_count",
    "hits": "hits",
    "kudos": "kudos_count",
    "kudos_count": "kudos_count",
    "comments": "comments_count",
    "comments_count": "comments_count",
    "bookmarks": "bookmarks_count",
    "bookmarks_count": "bookmarks_count",
    "title": "title_to_sort_on",
    "author": "authors_to_sort_on",
    "creator": "authors_to_sort_on",
    "authors_to_sort_on": "authors_to_sort_on",
    "title_to_sort_on": "title_to_sort_on",
    "created_at": "created_at",
    "posted": "created_at",
    "revised_at": "revised_at",
    "updated": "revised_at",
    "date": "revised_at",
    "_score": "_score",
    "relevance": "_score",
}
RANGE_WORDS = {
    "words": "words",
    "word_count": "words",
    "hits": "hits",
    "kudos": "kudos",
    "kudos_count": "kudos",
    "comments": "comments",
    "comments_count": "comments",
    "bookmarks": "bookmarks",
    "bookmarks_count": "bookmarks",
}
DATE_WORDS = {"revised_at": "revised", "updated": "revised", "created_at": "published"}
_UNITS = {
    "hour": datetime.timedelta(hours=1),
    "day": datetime.timedelta(days=1),
    "week": datetime.timedelta(weeks=1),
    "month": datetime.timedelta(days=30),
    "year": datetime.timedelta(days=365),
}
_RELATIVE = (
    r"(?P<op>[<>])?\s*(?P<count>[0-9]{1,5})\s*(?P<unit>hour|day|week|month|year)s?(?:\s+ago)?"
)
# Numbers are ASCII digits only ("²" and "١٢" are digits to str.isdigit, not to a search). A
# number must end where its word ends: "kudos:<1e400" or "words>1.5" is taken whole (the last
# alternative) and named as no number, not read as "<1" followed by the word "e400".
_MINI = re.compile(
    r"(?<![\w-])(?P<key>[a-z_]+)\s*(?P<sep>[:<>])\s*"
    r"(?P<value>" + _RELATIVE.replace("?P<", "?P<r_") + r"|[<>]?\s*[0-9,]+"
    r"(?:\s*-\s*[0-9,]+)?(?![\w.-])|[<>]?[a-z_]+|[<>]?\s*[\w.,+-]+)",
    re.IGNORECASE,
)
_RELATIVE_RE = re.compile(r"^\s*" + _RELATIVE + r"\s*$", re.IGNORECASE)
_NUMBER_RANGE = re.compile(
    r"^\s*(?:(?P<op>[<>])\s*(?P<bound>[0-9,]+)|(?P<low>[0-9,]+)"
    r"(?:\s*-\s*(?P<high>[0-9,]+))?)\s*$"
)
MAX_IDS = 200  # more tag ids than any sidebar shows, so a crafted URL can't ask for millions
MAX_NAMES = 75  # typed tag names per field: as many as a work may carry
# The earliest moment a date range can reach back to (datetime's year 1).
FIRST_SECOND = int(datetime.datetime(1, 1, 1, tzinfo=datetime.UTC).timestamp())


@dataclass
class ParsedSearch:
    query: WorkQuery
    errors: list[str] = field(default_factory=list)
    # Tag ids ticked in the sidebar, so the form shows them ticked again.
    included: set[int] = field(default_factory=set)
    excluded: set[int] = field(default_factory=set)
    active: bool = False  # any search parameter given (the search page shows results)
    show_hidden: bool = False  # "show them this once"


def value(params: QueryDict, name: str) -> str:
    return (params.get(f"work_search[{name}]") or "").strip()


def parse_work_search(
    params: QueryDict, *, search_page: bool = False, now: datetime.datetime | None = None
) -> ParsedSearch:
    """Read a listing's or the search page's parameters. Never raises: what can't be read is
    left out of the query and named in `errors`."""
    now = now or timezone.now()
    errors: list[str] = []
    fields: dict = {}
    text_nodes: list[Node] = []

    included, excluded = (
        _checked_ids(params, "include", errors),
        _checked_ids(params, "exclude", errors),
    )
    # The advanced search's fixed-tag boxes are inclusions, shown ticked like the sidebar's.
    included |= _tag_ids(
        [
            raw
            for name in ("rating_ids", "archive_warning_ids", "category_ids")
            for raw in params.getlist(f"work_search[{name}][]")
            + params.getlist(f"work_search[{name}]")
        ],
        errors,
        room=MAX_IDS - len(included),
    )
    include_ids, exclude_ids = set(included), set(excluded)
    # Tag names are unique across types, so a name finds its tag whatever field it was in.
    typed = [
        (name, negate)
        for param, negate in (
            ("other_tag_names", False),
            ("excluded_tag_names", True),
            *((param, False) for param in NAME_PARAMS.values()),
        )
        for name in _typed_names(params, param, errors)
    ]
    _resolve_names(typed, include_ids, exclude_ids, text_nodes)
    fields["include_tag_ids"] = tuple(sorted(_canonical_ids(include_ids)))
    fields["exclude_tag_ids"] = tuple(sorted(_canonical_ids(exclude_ids)))

    fields["crossover"] = _flag(value(params, "crossover"))
    fields["complete"] = _flag(value(params, "complete"))
    fields["single_chapter"] = value(params, "single_chapter") in {"1", "true", "T"}
    fields["language_id"] = _language(value(params, "language_id"), errors)

    fields["words"] = _words_range(params, errors)
    fields["revised"] = _date_range(params, now, errors)
    for key, param in STAT_PARAMS.items():
        fields[key] = _number_range(value(params, param), _label(param), errors)

    sort, ascending = _sort(params, search_page)
    query_text = value(params, "query")
    leftover, mini = _mini_language(query_text, now, errors)
    for key, bounds in mini.get("ranges", {}).items():
        fields[key] = bounds
    if "sort" in mini:
        sort, ascending = mini["sort"]
    for text, field_name, label in (
        (leftover, None, "Search"),
        (value(params, "title"), "title", "Title"),
        (value(params, "creators"), "creators", "Creators"),
    ):
        problems: list[str] = []
        node = parse_query(text, field=field_name, problems=problems)
        errors += [f"{label}: {problem}" for problem in problems]
        if node is not None:
            text_nodes.append(node)
    fields["text"] = _all_of(text_nodes)
    if fields["text"] is None and sort == "_score":
        sort, ascending = "revised_at", False  # nothing to rank by: newest first

    fields["page"] = page_number(params.get("page"))
    query = WorkQuery(sort=sort, ascending=ascending, **fields)
    return ParsedSearch(
        query=query,
        errors=errors,
        included=included,
        excluded=excluded,
        active=any(
            key.startswith(("work_search", "include_work_search", "exclude_work_search"))
            for key in params
        ),
        show_hidden=params.get("show_hidden") == "1",
    )


def with_scope(parsed: ParsedSearch, **scope) -> ParsedSearch:
    """The same search limited to one listing (a tag, a creator, a language)."""
    parsed.query = replace(parsed.query, **scope)
    return parsed


def _label(param: str) -> str:
    return param.replace("_count", "").replace("_", " ").capitalize()


def _checked_ids(params: QueryDict, side: str, errors: list[str]) -> set[int]:
    return _tag_ids(
        [
            raw
            for name in ID_PARAMS.values()
            for raw in params.getlist(f"{side}_work_search[{name}][]")
            + params.getlist(f"{side}_work_search[{name}]")
        ],
        errors,
    )


def _tag_ids(raws: list[str], errors: list[str], *, room: int = MAX_IDS) -> set[int]:
    """The tag ids typed, at most `room` of them. An id past uint32 names no tag (the index
    packs ids into uint32s), so it is named and left out like any other non-id."""
    ids: set[int] = set()
    for raw in raws:
        bounded = bounded_int(raw, low=1, high=UINT32_MAX)
        if bounded is not None and not bounded.clamped:
            ids.add(bounded.value)
        elif raw.strip():
            errors.append(f"{_shown(raw)!r} isn't a tag id.")
    if len(ids) > max(room, 0):
        errors.append(f"Only the first {MAX_IDS} tags were used.")
        ids = set(sorted(ids)[: max(room, 0)])
    return ids


def _shown(raw: str, limit: int = 40) -> str:
    """A typed value as a message quotes it: a long one cut short."""
    raw = raw.strip()
    return raw if len(raw) <= limit else raw[:limit] + "…"


def _typed_names(params: QueryDict, param: str, errors: list[str]) -> list[str]:
    names = split_tag_names(value(params, param))
    if len(names) > MAX_NAMES:
        errors.append(f"{_label(param)}: only the first {MAX_NAMES} names were used.")
    return names[:MAX_NAMES]


def _resolve_names(
    typed: list[tuple[str, bool]], include_ids: set[int], exclude_ids: set[int], text_nodes: list
) -> None:
    """Typed tag names, in one query: a tag that can be filtered on (canonical, or a synonym
    anyone may see) joins the ids; any other name is looked for among the works' own tag
    names, as words."""
    # A control character is in no tag's name (PostgreSQL refuses NUL outright).
    keys = {tag_key(name) for name, _ in typed if not has_control_character(name)}
    tags = (
        {
            tag.name_key: tag
            for tag in Tag.objects.filter(name_key__in=keys).only(
                "id", "name_key", "canonical", "merger_id", "shown_to_guests"
            )
        }
        if keys
        else {}
    )
    for name, negate in typed:
        tag = tags.get(tag_key(name))
        # A synonym no stranger may see (tags/audience.py: used only by drafts, private
        # bookmarks, hidden or restricted works) is read as words, like an unknown name:
        # narrowing to its canonical would tell anyone that the name exists.
        if tag is not None and (tag.canonical or (tag.merger_id and tag.shown_to_guests)):
            (exclude_ids if negate else include_ids).add(tag.merger_id or tag.pk)
            continue
        words = tuple(tokens(name))
        if words:
            node = Term(words, "tags")
            text_nodes.append(Not(node) if negate else node)


def _canonical_ids(ids: set[int]) -> set[int]:
    """Synonyms' ids stand for their canonical tags."""
    if not ids:
        return set()
    mergers = dict(
        Tag.objects.filter(pk__in=ids, merger__isnull=False).values_list("pk", "merger_id")
    )
    return {mergers.get(tag_id, tag_id) for tag_id in ids}


def _flag(raw: str) -> bool | None:
    return {"T": True, "F": False, "true": True, "false": False}.get(raw)


def _language(raw: str, errors: list[str]) -> int | None:
    if not raw:
        return None
    language = None
    # A control character is in no code (PostgreSQL refuses NUL outright).
    if not has_control_character(raw):
        language = Language.objects.filter(code=raw).values_list("pk", flat=True).first()
    if language is None:
        errors.append(f"There is no language with the code {_shown(raw)!r}.")
    return language


class _Clamped:
    """Reads the numbers of one field, moved into the databases' 64-bit range; the field's
    message says so once however many of its numbers were past it."""

    def __init__(self, label: str, raw: str, errors: list[str]) -> None:
        self.label, self.raw, self.errors, self.said = label, raw, errors, False

    def __call__(self, text: str) -> int:
        bounded = bounded_int(text.replace(",", ""))
        if bounded is None:  # never: the field's pattern matched digits
            raise ValueError(text)
        if bounded.clamped and not self.said:
            self.said = True
            self.errors.append(
                f"{self.label}: {_shown(self.raw)!r} is past the largest number a search can "
                f"use, so {INT64_MAX:,} was used instead."
            )
        return bounded.value


def _number_range(raw: str, label: str, errors: list[str]) -> Range | None:
    if not raw:
        return None
    match = _NUMBER_RANGE.match(raw)
    if match is None:
        errors.append(
            f"{label}: {_shown(raw)!r} isn't a number or range (try 1000, <1000, >1000 or 10-20)."
        )
        return None
    number = _Clamped(label, raw, errors)
    if match["op"] == "<":
        return Range(high=number(match["bound"]) - 1)
    if match["op"] == ">":
        return Range(low=min(number(match["bound"]) + 1, INT64_MAX))
    low = number(match["low"])
    high = number(match["high"]) if match["high"] else low
    return Range(low=min(low, high), high=max(low, high))


def _words_range(params: QueryDict, errors: list[str]) -> Range | None:
    combined = _number_range(value(params, "word_count"), "Word count", errors)
    low, high = (combined.low, combined.high) if combined else (None, None)
    for name, label in (("words_from", "Words from"), ("words_to", "Words to")):
        raw = value(params, name).replace(",", "")
        if not raw:
            continue
        if not raw.isascii() or not raw.isdigit():
            errors.append(f"{label}: {_shown(raw)!r} isn't a whole number.")
            continue
        number = _Clamped(label, raw, errors)(raw)
        if name == "words_from":
            low = max(low or 0, number)
        else:
            high = number if high is None else min(high, number)
    return Range(low, high) if (low, high) != (None, None) else None


def _date_range(params: QueryDict, now, errors: list[str]) -> Range | None:
    low = high = None
    relative = value(params, "revised_at")
    if relative:
        bounds = _relative_range(relative, now, "Date", errors)
        if bounds is None:
            errors.append(f'Date: {_shown(relative)!r} isn\'t a date range (try "< 2 weeks").')
        else:
            low, high = bounds.low, bounds.high
    for name, label in (("date_from", "Date updated from"), ("date_to", "Date updated to")):
        raw = value(params, name)
        if not raw:
            continue
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            errors.append(f"{label}: {_shown(raw)!r} isn't a date like 2024-01-31.")
            continue
        start = int(
            datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp()
        )
        if name == "date_from":
            low = max(low or 0, start)
        else:
            end = start + 86_399
            high = end if high is None else min(high, end)
    return Range(low, high) if (low, high) != (None, None) else None


def _relative_range(raw: str, now, label: str, errors: list[str]) -> Range | None:
    match = _RELATIVE_RE.match(raw)
    if match is None:
        return None
    span = _UNITS[match["unit"].lower()] * int(match["count"])
    try:
        edge = int((now - span).timestamp())
    except OverflowError:
        # Further back than the calendar goes (99999 years): from its first day.
        edge = FIRST_SECOND
        errors.append(
            f"{label}: {_shown(raw)!r} reaches back before the year 1, so the search starts there."
        )
    if match["op"] == ">":
        return Range(high=edge)  # longer ago than that
    return Range(low=edge)  # within that time


def _sort(params: QueryDict, search_page: bool) -> tuple[str, bool]:
    column = value(params, "sort_column")
    if column not in SORTS or (column == "_score" and not search_page):
        column = "_score" if search_page else "revised_at"
    direction = value(params, "sort_direction").lower()
    if direction in {"asc", "desc"}:
        return column, direction == "asc"
    return column, column in ASCENDING_BY_DEFAULT


def _mini_language(text: str, now, errors: list[str]) -> tuple[str, dict]:
    """Take AO3's field:value expressions out of free text; return the rest and what they
    asked for."""
    found: dict = {"ranges": {}}

    def take(match: re.Match) -> str:
        key, sep, raw = match["key"].lower(), match["sep"], match["value"].strip()
        if key == "sort" and sep == ":":
            ascending = raw.startswith(">")
            column = SORT_WORDS.get(raw.lstrip("<>").lower())
            if column is None:
                return match.group(0)
            found["sort"] = (
                column,
                ascending if raw[:1] in "<>" else column in ASCENDING_BY_DEFAULT,
            )
            return " "
        spec = raw if sep == ":" else f"{sep}{raw}"
        if key in RANGE_WORDS:
            bounds = _number_range(spec, key.capitalize(), errors)
            if bounds is not None:
                found["ranges"][RANGE_WORDS[key]] = bounds
            return " "
        if key in DATE_WORDS:
            bounds = _relative_range(spec, now, key, errors)
            if bounds is None:
                errors.append(f"{key}: {_shown(raw)!r} isn't a date range (try <2 weeks).")
            else:
                found["ranges"][DATE_WORDS[key]] = bounds
            return " "
        return match.group(0)

    return _MINI.sub(take, text), found


def _all_of(nodes: list):
    nodes = [node for node in nodes if node is not None]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))
