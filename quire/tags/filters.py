"""The filter table (AO3.md §2): each work's filter set, and its ONE writer, rebuild_filters.

A work's filter set is its canonical tags, the canonical targets of its synonyms, and every
metatag above those, transitively. Listings and facet counts read FilterTagging; nothing but
rebuild_filters writes it. Wrangling actions call schedule_rebuild, which records the tags
whose works need a rebuild (in the action's transaction) and enqueues the background task.
"""

from collections.abc import Iterable, Iterator
from itertools import combinations
from typing import TypeVar

from django.db import connection, transaction

from .models import FilterTagging, MetaTagging, PendingFilterRebuild, Tag, TagType

BATCH_SIZE = 1000
T = TypeVar("T")


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def meta_ancestors(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """Every metatag above each tag, transitively (the tag itself not included)."""
    parents: dict[int, set[int]] = {}
    frontier = set(tag_ids)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        next_frontier: set[int] = set()
        for chunk in _chunks(sorted(frontier), 900):
            for sub_id, meta_id in MetaTagging.objects.filter(sub_id__in=chunk).values_list(
                "sub_id", "meta_id"
            ):
                parents.setdefault(sub_id, set()).add(meta_id)
                if meta_id not in seen:
                    next_frontier.add(meta_id)
        frontier = next_frontier

    result: dict[int, set[int]] = {}

    def climb(tag_id: int) -> set[int]:
        # Iterative, and safe even if a cycle slipped in: actions refuse them, but a
        # corrupt hierarchy must not hang a rebuild.
        found: set[int] = set()
        stack = list(parents.get(tag_id, ()))
        while stack:
            meta_id = stack.pop()
            if meta_id in found or meta_id == tag_id:
                continue
            found.add(meta_id)
            stack.extend(parents.get(meta_id, ()))
        return found

    for tag_id in tag_ids:
        if tag_id not in result:
            result[tag_id] = climb(tag_id)
    return result


def meta_descendants(tag_ids: Iterable[int]) -> set[int]:
    """The tags and every subtag below them, transitively."""
    found = set(tag_ids)
    frontier = set(found)
    while frontier:
        next_frontier: set[int] = set()
        for chunk in _chunks(sorted(frontier), 900):
            next_frontier |= set(
                MetaTagging.objects.filter(meta_id__in=chunk).values_list("sub_id", flat=True)
            )
        frontier = next_frontier - found
        found |= frontier
    return found


class WorkFilters:
    """One work's computed filter set and flags."""

    __slots__ = ("crossover", "otp", "tags")

    def __init__(self) -> None:
        self.tags: dict[int, bool] = {}  # tag id -> inherited
        self.crossover = False
        self.otp = False


def compute_filters(work_ids: list[int]) -> dict[int, WorkFilters]:
    """The filter sets of these works, from their taggings and the current taxonomy."""
    direct: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    fandoms: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    relationships: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    for work_id, tag_id, canonical, merger_id, tag_type in _select(
        "SELECT tagging.work_id, tagging.tag_id, tag.canonical, tag.merger_id, tag.type "
        "FROM {tagging} tagging INNER JOIN {tag} tag ON tag.id = tagging.tag_id WHERE",
        "tagging.work_id",
        work_ids,
    ):
        # A synonym's merger is canonical by rule; an unwrangled tag filters as nothing but
        # still counts as itself for crossover and OTP (AO3 treats it as its own fandom).
        root = merger_id or tag_id
        if canonical or merger_id:
            direct[work_id].add(root)
        if tag_type == TagType.FANDOM:
            fandoms[work_id].add(root)
        elif tag_type == TagType.RELATIONSHIP:
            relationships[work_id].add(root)
    ancestors = meta_ancestors(
        {tag for tags in direct.values() for tag in tags}
        | {tag for tags in fandoms.values() for tag in tags}
    )
    result: dict[int, WorkFilters] = {}
    for work_id in work_ids:
        filters = WorkFilters()
        for tag_id in direct[work_id]:
            filters.tags[tag_id] = False
        for tag_id in direct[work_id]:
            for meta_id in ancestors[tag_id]:
                filters.tags.setdefault(meta_id, True)
        filters.crossover = len(fandoms[work_id]) > 1 and is_crossover(fandoms[work_id], ancestors)
        filters.otp = len(relationships[work_id]) == 1
        result[work_id] = filters
    return result


def _select(sql: str, column: str, ids: list[int]) -> Iterator[tuple]:
    """Rows of `sql` (ending in WHERE) for these ids of `column`, in chunks the database
    accepts as parameters. {tagging}, {tag} and {filters} in `sql` name the tables.

    Plain SQL on the hot path of a rebuild: the ORM's per-row conversions cost more than the
    database's work. Besides the IN list, the condition bounds the column by the chunk's least
    and greatest id: before PostgreSQL has statistics for a table that is filling up (a first
    rebuild, from empty), it takes a long IN list alone to match the whole table and scans it,
    batch after batch; the range keeps it on the index.
    """
    from quire.works.models import Tagging

    tables = {
        "tagging": connection.ops.quote_name(Tagging._meta.db_table),
        "tag": connection.ops.quote_name(Tag._meta.db_table),
        "filters": connection.ops.quote_name(FilterTagging._meta.db_table),
    }
    query = sql.format(**tables)
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(ids), 900):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"{query} {column} BETWEEN %s AND %s AND {column} IN ({placeholders})",
                [chunk[0], chunk[-1], *chunk],
            )
            yield from cursor.fetchall()


def is_crossover(fandom_ids: set[int], ancestors: dict[int, set[int]]) -> bool:
    """More than one fandom, and some two of them share no metatag ancestry (AO3.md §2)."""
    families = [{fandom} | ancestors.get(fandom, set()) for fandom in fandom_ids]
    return any(not (a & b) for a, b in combinations(families, 2))


def rebuild_filters(
    work_ids: Iterable[int], *, batch_size: int | None = None, index: bool = True
) -> int:
    """Make FilterTagging and the crossover/OTP flags of these works match the taxonomy.

    The only writer of the filter table. Idempotent; works in batches of BATCH_SIZE works,
    each its own transaction (inside an outer transaction, savepoints), so a huge rebuild
    holds no long lock. Each batch reads the taxonomy inside its own transaction, so a batch
    never writes filters from a taxonomy older than one a later rebuild of the same works has
    already written. Returns how many works it looked at.
    """
    ids = sorted(set(work_ids))
    for batch in _chunks(ids, batch_size or BATCH_SIZE):
        with transaction.atomic():
            _rebuild_batch(batch, index=index)
    return len(ids)


def _rebuild_batch(batch: list[int], *, index: bool) -> None:
    from quire.search.engines import get_engine
    from quire.works.models import Work

    wanted = compute_filters(batch)
    stale: list[int] = []
    kept: set[tuple[int, int]] = set()
    for pk, work_id, tag_id, inherited in _select(
        "SELECT id, work_id, tag_id, inherited FROM {filters} WHERE", "work_id", batch
    ):
        if wanted[work_id].tags.get(tag_id) == bool(inherited):
            kept.add((work_id, tag_id))
        else:
            stale.append(pk)
    # In tag order, so the (tag, work) index takes each tag's new rows in one visit.
    fresh = sorted(
        (tag_id, work_id, inherited)
        for work_id, filters in wanted.items()
        for tag_id, inherited in filters.tags.items()
        if (work_id, tag_id) not in kept
    )
    for chunk in _chunks(stale, 900):
        FilterTagging.objects.filter(pk__in=chunk).delete()
    if fresh:
        _insert(fresh)
    # One UPDATE per combination of flags rather than a CASE per row.
    changed: dict[tuple[bool, bool], list[int]] = {}
    for work_id, crossover, otp in Work.objects.filter(pk__in=batch).values_list(
        "pk", "crossover", "otp"
    ):
        flags = wanted[work_id]
        if (flags.crossover, flags.otp) != (crossover, otp):
            changed.setdefault((flags.crossover, flags.otp), []).append(work_id)
    for (crossover, otp), changed_ids in changed.items():
        for chunk in _chunks(changed_ids, 900):
            Work.objects.filter(pk__in=chunk).update(crossover=crossover, otp=otp)
    # The search index packs each work's filter tags; it changes with them, in this batch
    # (unless the caller reindexes these works itself later in the same transaction).
    if index:
        get_engine().index(batch)


def _insert(rows: list[tuple[int, int, bool]]) -> None:
    """Insert (tag, work, inherited) filter rows: COPY on PostgreSQL, else a few hundred rows
    to an INSERT.

    Plain SQL: building and compiling a model instance per row costs several times what the
    database spends storing it, and a rebuild from scratch writes millions of rows. Never a
    statement per row (executemany), which costs PostgreSQL a round trip each.
    """
    table = connection.ops.quote_name(FilterTagging._meta.db_table)
    columns = "(tag_id, work_id, inherited)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for chunk in _chunks(rows, 300):
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} {columns} VALUES {values}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def works_for_tags(tag_ids: Iterable[int]) -> set[int]:
    """Works whose filter sets can depend on these tags: tagged with them, their synonyms or
    any subtag below them (or those subtags' synonyms)."""
    from quire.works.models import Tagging

    family = meta_descendants(tag_ids)
    family |= set(Tag.objects.filter(merger_id__in=family).values_list("pk", flat=True))
    works: set[int] = set()
    for chunk in _chunks(sorted(family), 900):
        works |= set(
            Tagging.objects.filter(tag_id__in=chunk).values_list("work_id", flat=True).distinct()
        )
    return works


def rebuild_pending(*, batch_size: int | None = None) -> int:
    """Rebuild the works of every pending tag, then forget those rows. Returns works rebuilt.

    What the background task runs. Rows recorded while it runs are left for the task their
    own change queued; if the rebuild fails, every row it read stays for the next run.
    """
    pending = list(PendingFilterRebuild.objects.values_list("pk", "tag_id"))
    if not pending:
        return 0
    work_ids = works_for_tags({tag_id for _, tag_id in pending})
    rebuild_filters(work_ids, batch_size=batch_size)
    for chunk in _chunks([pk for pk, _ in pending], 900):
        PendingFilterRebuild.objects.filter(pk__in=chunk).delete()
    return len(work_ids)
