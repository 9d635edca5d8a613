"""The one-statement plan for a listing with a tag to start from and facets to count.

The database reads the starting tag's works with every condition on the doc row, the words
and the creator; one row per work: id, sort key, packed filter tags. The tag logic (the
other included tags, the excluded ones, the blocklist's tags), the total, the facets and the
page are then numpy over those packs, which hold each work's whole filter set. Measured at
1,000,000 works on SQLite, for a 58,000-work fandom: reading the rows costs ~70 ms; a second
statement for the page and a correlated NOT EXISTS probe per row for an exclusion each cost
about as much again, which numpy does in a few milliseconds.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .facets import Facets, count_packed


@dataclass
class Rows:
    """The fetched rows as arrays; `values` are all packs concatenated, `row_of` the row each
    value came from."""

    ids: np.ndarray
    keys: np.ndarray
    flagged: np.ndarray  # hidden by the SQL half of the blocklist (creators, works, literal tags)
    values: np.ndarray
    row_of: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[tuple], *, numeric_key: bool) -> "Rows":
        """Rows of (id, sort key, pack[, flag]); without the flag column nothing is flagged."""
        count = len(rows)
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=count)
        if numeric_key:
            keys = np.fromiter((row[1] or 0 for row in rows), dtype=np.int64, count=count)
        else:
            keys = np.array([row[1] or "" for row in rows], dtype=str)
        if rows and len(rows[0]) > 3:
            flagged = np.fromiter((bool(row[3]) for row in rows), dtype=bool, count=count)
        else:
            flagged = np.zeros(count, dtype=bool)
        packs = [row[2] for row in rows]
        lengths = np.fromiter(map(len, packs), dtype=np.int64, count=count) // 4
        values = np.frombuffer(b"".join(packs), dtype="<u4")
        row_of = np.repeat(np.arange(count), lengths)
        return cls(ids, keys, flagged, values, row_of)

    def with_any(self, tag_ids) -> np.ndarray:
        """Per row: has any of these tags."""
        found = np.zeros(len(self.ids), dtype=bool)
        if tag_ids:
            hits = np.isin(self.values >> 3, np.fromiter(tag_ids, dtype=np.uint32))
            found[self.row_of[hits]] = True
        return found

    def with_all(self, tag_ids) -> np.ndarray:
        """Per row: has every one of these tags (a pack holds each tag once)."""
        if not tag_ids:
            return np.ones(len(self.ids), dtype=bool)
        hits = np.isin(self.values >> 3, np.fromiter(tag_ids, dtype=np.uint32))
        counts = np.bincount(self.row_of[hits], minlength=len(self.ids))
        return counts == len(tag_ids)


@dataclass
class Answer:
    ids: list[int]
    total: int
    hidden: int
    facets: Facets
    page: int


def answer(
    rows: Rows,
    *,
    include: set[int],
    exclude: set[int],
    blocked_tags: set[int],
    ascending: bool,
    page: int,
    per_page: int,
    max_results: int,
) -> Answer:
    keep = rows.with_all(include) & ~rows.with_any(exclude)
    blocked = rows.flagged | rows.with_any(blocked_tags)
    matched = keep & ~blocked
    total = int(matched.sum())
    facets = count_packed(rows.values[matched[rows.row_of]])
    last_page = max(1, -(-min(total, max_results) // per_page))
    page = min(max(page, 1), last_page)
    chosen = np.flatnonzero(matched)
    # Key, then id, in the same direction (AO3.md §3: ties break on id).
    order = np.lexsort((rows.ids[chosen], rows.keys[chosen]))
    if not ascending:
        order = order[::-1]
    start = (page - 1) * per_page
    ids: Iterable[int] = (
        rows.ids[chosen[order[start : start + per_page]]] if start < max_results else []
    )
    return Answer(
        ids=[int(work_id) for work_id in ids],
        total=total,
        hidden=int((keep & blocked).sum()),
        facets=facets,
        page=page,
    )
