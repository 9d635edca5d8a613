"""The search engine interface (DESIGN.md "Search").

An engine answers `query(q, audience=..., blocklist=..., facets=...)` with the page of work ids,
the total, the facet counts and how many works the blocklist hid; `index(work_ids)` and
`delete(work_ids)` keep it current. Every engine is checked against one brute-force oracle
(tests/test_engine_oracle.py). The default engine, `sql`, is the database itself.
"""

from dataclasses import dataclass

from ..text import Node
from .facets import Facets

PUBLIC = "public"  # logged-out visitors
REGISTERED = "registered"  # any logged-in reader
PER_PAGE = 20
MAX_RESULTS = 100_000  # AO3's result window: pages past it are not served

SORTS = (
    "_score",
    "authors_to_sort_on",
    "title_to_sort_on",
    "created_at",
    "revised_at",
    "word_count",
    "hits",
    "kudos_count",
    "comments_count",
    "bookmarks_count",
)
# Sorts that read A to Z by default; every other sort starts with the highest.
ASCENDING_BY_DEFAULT = {"authors_to_sort_on", "title_to_sort_on"}


@dataclass(frozen=True)
class Range:
    """Inclusive bounds; None is open."""

    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class WorkQuery:
    """What a listing asks for, with names already resolved to ids."""

    # Scope: the listing's own tag (canonical: by the filter table; otherwise its taggings),
    # creator or pseud, and whether the creator's anonymous works count (their own page only).
    tag_id: int | None = None
    literal_tag_id: int | None = None
    creator_id: int | None = None
    pseud_id: int | None = None
    include_anonymous: bool = False
    # Filters.
    include_tag_ids: tuple[int, ...] = ()
    exclude_tag_ids: tuple[int, ...] = ()
    crossover: bool | None = None
    complete: bool | None = None
    single_chapter: bool = False
    words: Range | None = None
    revised: Range | None = None  # Unix seconds
    published: Range | None = None  # Unix seconds
    language_id: int | None = None
    text: Node | None = None
    hits: Range | None = None
    kudos: Range | None = None
    comments: Range | None = None
    bookmarks: Range | None = None
    # Order and window.
    sort: str = "revised_at"
    ascending: bool = False
    page: int = 1

    @property
    def is_bare_tag_listing(self) -> bool:
        """A canonical tag's listing with nothing narrowing it (sort and page aside)."""
        return self.tag_id is not None and self._unnarrowed()

    @property
    def is_bare_archive_listing(self) -> bool:
        """/works with nothing narrowing it."""
        return self.tag_id is None and self._unnarrowed()

    def _unnarrowed(self) -> bool:
        unset = (
            self.literal_tag_id,
            self.creator_id,
            self.pseud_id,
            self.crossover,
            self.complete,
            self.words,
            self.revised,
            self.published,
            self.language_id,
            self.text,
            self.hits,
            self.kudos,
            self.comments,
            self.bookmarks,
        )
        return all(value is None for value in unset) and not (
            self.include_tag_ids or self.exclude_tag_ids or self.single_chapter
        )


@dataclass(frozen=True)
class Blocklist:
    """What one reader never wants listed."""

    tag_ids: frozenset[int] = frozenset()  # canonical: by the filter table
    literal_tag_ids: frozenset[int] = frozenset()  # unwrangled: the work's own tags
    creator_ids: frozenset[int] = frozenset()
    work_ids: frozenset[int] = frozenset()
    # Users the reader muted: their works (never anonymous ones) are left out like a blocked
    # creator's, but silently, as on AO3: they are not counted in `SearchResult.hidden`, and
    # "show the hidden works" does not bring them back.
    muted_creator_ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(
            self.tag_ids
            or self.literal_tag_ids
            or self.creator_ids
            or self.work_ids
            or self.muted_creator_ids
        )

    @property
    def counted(self) -> "Blocklist":
        """The part whose works count as hidden (everything but the mutes)."""
        return Blocklist(self.tag_ids, self.literal_tag_ids, self.creator_ids, self.work_ids)


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    page: int  # the page served: the one asked for, or the last one if it was past the end
    facets: Facets | None = None
    hidden: int = 0  # works the blocklist took out (muted creators' works aside)
    facets_cached: bool = False


def get_engine():
    from .sql import SqlEngine

    return SqlEngine()
