"""The default engine: the database does the words, filters, sort, total and page of ids; numpy
counts the facets over the matching works' packed tag ids (DESIGN.md "Search").

Every listing is one table, search_workdoc (alias d), narrowed by correlated probes of the
filter table, so a query touches only the index rows of the tags it names. Two statements at
most: one fetching the packs (or a count) of the whole matching set, one fetching the page.
"""

import json
import time
from dataclasses import dataclass, field

from django.db import connection

from quire.accounts.models import Pseud
from quire.tags.models import FilterTagging
from quire.works.models import Creatorship, Tagging, WorkStats

from ..index import ARCHIVE_TAG, forget_works, reindex_works
from ..models import FacetCache, FacetGeneration, WorkDoc
from . import (
    MAX_RESULTS,
    PER_PAGE,
    PUBLIC,
    Blocklist,
    Range,
    SearchResult,
    WorkQuery,
    fulltext,
    packs,
)
from .facets import count_facets

# Sort columns of the doc table, each with an index on (column, work id).
DOC_SORTS = {
    "revised_at": ("d.revised_at", "search_doc_revised"),
    "created_at": ("d.published_at", "search_doc_published"),
    "word_count": ("d.word_count", "search_doc_words"),
    "title_to_sort_on": ("d.title_sort_key", "search_doc_title"),
    "authors_to_sort_on": ("d.creator_sort_key", "search_doc_creator"),
}
STATS_SORTS = {
    "hits": "hits",
    "kudos_count": "kudos_count",
    "comments_count": "comments_count",
    "bookmarks_count": "bookmarks_count",
}
# Below this many matches, reading and sorting them all is cheap whatever the plan.
SCAN_MIN_MATCHES = 1000
# When choosing which included tag drives a query, count at most this many of its works.
DRIVE_PROBE_LIMIT = 5000


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


@dataclass
class _Plan:
    """The FROM, joins and WHERE of one query, with their parameters in order."""

    source: str
    conditions: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    joins: list[str] = field(default_factory=list)
    join_params: list = field(default_factory=list)

    def where(self, sql: str, *params) -> None:
        self.conditions.append(sql)
        self.params.extend(params)

    def sql(self, columns: str, *, extra: str = "") -> tuple[str, list]:
        where = " AND ".join(self.conditions) or "1 = 1"
        joins = " ".join(self.joins)
        return (
            f"SELECT {columns} FROM {self.source} {joins} WHERE {where} {extra}",  # noqa: S608
            [*self.join_params, *self.params],
        )


class SqlEngine:
    name = "sql"

    def index(self, work_ids) -> None:
        reindex_works(work_ids)

    def delete(self, work_ids) -> None:
        forget_works(work_ids)

    def query(
        self,
        q: WorkQuery,
        *,
        audience: str,
        blocklist: Blocklist | None = None,
        facets: bool = True,
    ) -> SearchResult:
        blocklist = blocklist or Blocklist()
        muted = blocklist.muted_creator_ids
        hidden_sql, hidden_params = _hidden_condition(blocklist.counted)
        cache_tag = _facet_cache_tag(q) if facets and not blocklist else None

        cached, generation = None, 0
        if cache_tag is not None:
            cached, generation = _cached_facets(cache_tag, audience)
        if cached is not None:
            (total, found), hidden, from_cache = cached, 0, True
        elif facets and q.sort != "_score" and (q.tag_id or q.include_tag_ids):
            done = _query_by_packs(q, audience, blocklist)
            if cache_tag is not None:
                _store_facets(cache_tag, audience, generation, done.total, done.facets)
            return SearchResult(
                ids=done.ids,
                total=done.total,
                page=done.page,
                facets=done.facets,
                hidden=done.hidden,
            )
        else:
            from_cache = False
            plan = _plan(q, audience, muted=muted)
            total, found, hidden = _count(plan, hidden_sql, hidden_params, want_facets=facets)
            if cache_tag is not None:
                _store_facets(cache_tag, audience, generation, total, found)
        last_page = max(1, -(-min(total, MAX_RESULTS) // PER_PAGE))
        page = min(max(q.page, 1), last_page)
        ids = _page_ids(q, audience, hidden_sql, hidden_params, total, page, muted=muted)
        return SearchResult(
            ids=ids, total=total, page=page, facets=found, hidden=hidden, facets_cached=from_cache
        )


# --- Building the WHERE ------------------------------------------------------------------------


def _plan(
    q: WorkQuery,
    audience: str,
    *,
    drive: bool = True,
    tag_logic: bool = True,
    muted: frozenset[int] = frozenset(),
) -> _Plan:
    """The query's FROM and WHERE. With tag_logic False, only the driving tag is applied:
    the caller checks the other included and the excluded tags itself (packs.py). The works
    of `muted` creators are left out here, before anything is counted."""
    doc = _table(WorkDoc)
    filters = _table(FilterTagging)
    included = [tag for tag in (q.tag_id, *q.include_tag_ids) if tag is not None]
    driver = _driving_tag(included) if drive and included else None
    if driver is not None:
        plan = _Plan(source=f"{filters} f0 CROSS JOIN {doc} d")
        plan.where("f0.tag_id = %s", driver)
        plan.where("d.work_id = f0.work_id")
    else:
        plan = _Plan(source=f"{doc} d")
    if audience == PUBLIC:
        plan.where("d.public = %s", True)
    for tag_id in dict.fromkeys(included):
        if tag_id != driver and tag_logic:
            plan.where(_tag_probe(FilterTagging, [tag_id]), tag_id)
    if q.exclude_tag_ids and tag_logic:
        excluded = sorted(set(q.exclude_tag_ids))
        plan.where(f"NOT {_tag_probe(FilterTagging, excluded)}", *excluded)
    if q.literal_tag_id is not None:
        plan.where(_tag_probe(Tagging, [q.literal_tag_id]), q.literal_tag_id)
    if q.creator_id is not None or q.pseud_id is not None:
        _creator_scope(plan, q)
    for column, value in (("d.crossover", q.crossover), ("d.complete", q.complete)):
        if value is not None:
            plan.where(f"{column} = %s", value)
    if q.single_chapter:
        plan.where("d.chapters = %s", 1)
    if q.language_id is not None:
        plan.where("d.language_id = %s", q.language_id)
    _range(plan, "d.word_count", q.words)
    _range(plan, "d.revised_at", q.revised)
    _range(plan, "d.published_at", q.published)
    stats_ranges = {
        "hits": q.hits,
        "kudos_count": q.kudos,
        "comments_count": q.comments,
        "bookmarks_count": q.bookmarks,
    }
    if any(stats_ranges.values()) or q.sort in STATS_SORTS:
        plan.joins.append(f"LEFT JOIN {_table(WorkStats)} s ON s.work_id = d.work_id")
        for column, bounds in stats_ranges.items():
            _range(plan, f"COALESCE(s.{column}, 0)", bounds)
    if q.text is not None:
        small = driver is not None and connection.vendor == "sqlite"
        rows = _tag_size(driver) if small and driver is not None else None
        sql, params = fulltext.text_condition(q.text, rows=rows)
        plan.where(f"({sql})", *params)
    if muted:
        sql, params = _creators_condition(muted)
        plan.where(f"NOT {sql}", *params)
    return plan


def _tag_probe(model, tag_ids: list[int]) -> str:
    """SQL true for the works (alias d) with any of these tags in `model`'s table (the filter
    table, or the works' own taggings): a probe of its (work, tag) index per work."""
    return (
        f"EXISTS (SELECT 1 FROM {_table(model)} t WHERE t.work_id = d.work_id "  # noqa: S608
        f"AND t.tag_id IN ({_in(tag_ids)}))"
    )


def _creator_scope(plan: _Plan, q: WorkQuery) -> None:
    creatorships = _table(Creatorship)
    if q.pseud_id is not None:
        plan.where(
            f"EXISTS (SELECT 1 FROM {creatorships} c WHERE c.work_id = d.work_id "  # noqa: S608
            "AND c.pseud_id = %s)",
            q.pseud_id,
        )
    if q.creator_id is not None:
        plan.where(
            f"EXISTS (SELECT 1 FROM {creatorships} c INNER JOIN {_table(Pseud)} p "  # noqa: S608
            "ON p.id = c.pseud_id WHERE c.work_id = d.work_id AND p.user_id = %s)",
            q.creator_id,
        )
    if not q.include_anonymous:
        plan.where("d.anonymous = %s", False)


def _range(plan: _Plan, column: str, bounds: Range | None) -> None:
    if bounds is None:
        return
    if bounds.low is not None:
        plan.where(f"{column} >= %s", bounds.low)
    if bounds.high is not None:
        plan.where(f"{column} <= %s", bounds.high)


def _query_by_packs(q: WorkQuery, audience: str, blocklist: Blocklist) -> packs.Answer:
    """One statement, then numpy (packs.py): for listings with a tag to start from."""
    plan = _plan(q, audience, tag_logic=False, muted=blocklist.muted_creator_ids)
    numeric = q.sort not in ("title_to_sort_on", "authors_to_sort_on")
    if q.sort in STATS_SORTS:
        key = f"COALESCE(s.{STATS_SORTS[q.sort]}, 0)"
    else:
        key = DOC_SORTS.get(q.sort, DOC_SORTS["revised_at"])[0]
    # The blocklist's tags are checked on the packs; the rest of it in SQL.
    rest = Blocklist(
        literal_tag_ids=blocklist.literal_tag_ids,
        creator_ids=blocklist.creator_ids,
        work_ids=blocklist.work_ids,
    )
    hidden_sql, hidden_params = _hidden_condition(rest)
    flag = f", CASE WHEN ({hidden_sql}) THEN 1 ELSE 0 END" if hidden_sql else ""
    sql, params = plan.sql(f"d.work_id, {key}, d.tags{flag}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hidden_params, *params])
        rows = packs.Rows.from_rows(cursor.fetchall(), numeric_key=numeric)
    driver_and_includes = {tag for tag in (q.tag_id, *q.include_tag_ids) if tag is not None}
    return packs.answer(
        rows,
        include=driver_and_includes,
        exclude=set(q.exclude_tag_ids),
        blocked_tags=set(blocklist.tag_ids),
        ascending=q.ascending,
        page=q.page,
        per_page=PER_PAGE,
        max_results=MAX_RESULTS,
    )


def _hidden_condition(blocklist: Blocklist) -> tuple[str, list]:
    """SQL true for the works (alias d) this reader's blocklist hides."""
    parts, params = [], []
    for model, tag_ids in (
        (FilterTagging, blocklist.tag_ids),
        (Tagging, blocklist.literal_tag_ids),
    ):
        if tag_ids:
            ids = sorted(tag_ids)
            parts.append(_tag_probe(model, ids))
            params += ids
    if blocklist.creator_ids:
        sql, creator_params = _creators_condition(blocklist.creator_ids)
        parts.append(sql)
        params += creator_params
    if blocklist.work_ids:
        ids = sorted(blocklist.work_ids)
        parts.append(f"d.work_id IN ({_in(ids)})")
        params += ids
    return " OR ".join(parts), params


def _creators_condition(user_ids) -> tuple[str, list]:
    """SQL true for the works (alias d) by any of these users, never an anonymous work:
    hiding it would tell the reader who wrote it."""
    ids = sorted(user_ids)
    return (
        f"(d.anonymous = %s AND EXISTS (SELECT 1 FROM {_table(Creatorship)} b "  # noqa: S608
        f"INNER JOIN {_table(Pseud)} p ON p.id = b.pseud_id "
        f"WHERE b.work_id = d.work_id AND p.user_id IN ({_in(ids)})))"
    ), [False, *ids]


def _tag_size(tag_id: int) -> int | None:
    """How many works carry the tag, when fewer than DRIVE_PROBE_LIMIT; None for more."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {_table(FilterTagging)} WHERE tag_id = %s "  # noqa: S608
            "LIMIT %s) x",
            [tag_id, DRIVE_PROBE_LIMIT],
        )
        size = cursor.fetchone()[0]
    return size if size < DRIVE_PROBE_LIMIT else None


def _driving_tag(tag_ids: list[int]) -> int:
    """The included tag with the fewest works: the query starts from its filter rows and
    probes the others. SQLite would otherwise start from whichever it met first."""
    if len(set(tag_ids)) == 1:
        return tag_ids[0]
    filters = _table(FilterTagging)
    sizes = {}
    with connection.cursor() as cursor:
        for tag_id in dict.fromkeys(tag_ids):
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {filters} WHERE tag_id = %s LIMIT %s) x",  # noqa: S608
                [tag_id, DRIVE_PROBE_LIMIT],
            )
            sizes[tag_id] = cursor.fetchone()[0]
    return min(sizes, key=lambda tag_id: (sizes[tag_id], tag_id))


# --- Counting and facets ------------------------------------------------------------------------


def _count(plan: _Plan, hidden_sql: str, hidden_params: list, *, want_facets: bool):
    """(total, facets or None, hidden) over the whole matching set."""
    flag = f"CASE WHEN ({hidden_sql}) THEN 1 ELSE 0 END" if hidden_sql else "0"
    with connection.cursor() as cursor:
        if not want_facets:
            sql, params = plan.sql(f"COUNT(*), COALESCE(SUM({flag}), 0)")
            cursor.execute(sql, [*hidden_params, *params] if hidden_sql else params)
            matched, hidden = cursor.fetchone()
            return matched - hidden, None, hidden
        sql, params = plan.sql(f"d.tags, {flag}")
        cursor.execute(sql, [*hidden_params, *params] if hidden_sql else params)
        rows = cursor.fetchall()
    if hidden_sql:
        packs = [bytes(pack) for pack, hidden in rows if not hidden]
    else:
        packs = [bytes(pack) for pack, _ in rows]
    return len(packs), count_facets(packs), len(rows) - len(packs)


def _facet_cache_tag(q: WorkQuery) -> int | None:
    """Which cached facets this listing may use: its tag's, the whole archive's, or none."""
    if q.is_bare_tag_listing:
        return q.tag_id
    if q.is_bare_archive_listing:
        return ARCHIVE_TAG
    return None


def _cached_facets(tag_id: int, audience: str):
    """((total, facets) or None, the tag's current generation), in one query.

    The generation is read before any counting: a change committed after this read bumps
    the tag past it, so an answer counted from older rows is never taken for current."""
    sql = (
        f"SELECT g.generation, c.generation, c.total, c.facets FROM (SELECT %s AS tag_id) k "  # noqa: S608
        f"LEFT JOIN {_table(FacetGeneration)} g ON g.tag_id = k.tag_id "
        f"LEFT JOIN {_table(FacetCache)} c ON c.tag_id = k.tag_id AND c.audience = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tag_id, audience])
        current, cached_generation, total, facets = cursor.fetchone()
    generation = current or 0
    if cached_generation is None or cached_generation != generation:
        return None, generation
    if isinstance(facets, str):
        facets = json.loads(facets)
    found = {tag_type: [tuple(pair) for pair in pairs] for tag_type, pairs in facets.items()}
    return (total, found), generation


def _store_facets(tag_id: int, audience: str, generation: int, total: int, facets) -> None:
    value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {_table(FacetCache)} (tag_id, audience, generation, total, facets) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s, {value}) ON CONFLICT (tag_id, audience) DO UPDATE SET "
        "generation = excluded.generation, total = excluded.total, facets = excluded.facets"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tag_id, audience, generation, total, json.dumps(facets)])


# --- The page -------------------------------------------------------------------------------------


def _page_ids(
    q: WorkQuery,
    audience: str,
    hidden_sql: str,
    hidden_params: list,
    total: int,
    page: int,
    *,
    muted: frozenset[int] = frozenset(),
) -> list[int]:
    offset = (page - 1) * PER_PAGE
    if offset >= min(total, MAX_RESULTS):
        return []
    plan = _scan_plan(q, audience, offset, total, muted=muted) or _plan(q, audience, muted=muted)
    if hidden_sql:
        plan.where(f"NOT ({hidden_sql})", *hidden_params)
    direction = "ASC" if q.ascending else "DESC"
    order_params: list = []
    rank = fulltext.rank_join(q.text) if q.sort == "_score" and q.text is not None else None
    if rank and rank[2]:
        join, join_params, rank_order, order_params = rank
        plan.joins.append(join)
        plan.join_params += join_params
        order = f"{rank_order}, d.work_id DESC"
    elif q.sort in STATS_SORTS:
        order = f"COALESCE(s.{STATS_SORTS[q.sort]}, 0) {direction}, d.work_id {direction}"
    else:
        # Best Match with nothing to rank by (no words, or only negated ones): newest first.
        if q.sort not in DOC_SORTS:
            direction = "DESC"
        column = DOC_SORTS.get(q.sort, DOC_SORTS["revised_at"])[0]
        order = f"{column} {direction}, d.work_id {direction}"
    sql, params = plan.sql("d.work_id", extra=f"ORDER BY {order} LIMIT %s OFFSET %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *order_params, PER_PAGE, offset])
        return [row[0] for row in cursor.fetchall()]


def _scan_plan(
    q: WorkQuery, audience: str, offset: int, total: int, *, muted: frozenset[int] = frozenset()
) -> _Plan | None:
    """On SQLite, walk the sort column's index and probe the tags, when the matches are so
    many that the page fills long before the matching set would have been read and sorted.
    (PostgreSQL's planner weighs this itself from its statistics.)"""
    if connection.vendor != "sqlite" or q.sort not in DOC_SORTS or total < SCAN_MIN_MATCHES:
        return None
    if q.tag_id is None and not q.include_tag_ids:
        return None
    archive = _archive_size()
    # Rows walked to fill the page, if matches are spread evenly, against rows matched.
    if (offset + PER_PAGE) * archive / total >= total:
        return None
    plan = _plan(q, audience, drive=False, muted=muted)
    plan.source = f"{plan.source} INDEXED BY {DOC_SORTS[q.sort][1]}"
    return plan


_archive_size_seen: list[tuple[float, int]] = []


def _archive_size() -> int:
    """About how many works the archive lists (the highest id), looked up once a minute: it
    only weighs one plan against another."""
    now = time.monotonic()
    if not _archive_size_seen or now - _archive_size_seen[0][0] > 60:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(work_id) FROM {_table(WorkDoc)}")  # noqa: S608
            _archive_size_seen[:] = [(now, cursor.fetchone()[0] or 0)]
    return _archive_size_seen[0][1]
