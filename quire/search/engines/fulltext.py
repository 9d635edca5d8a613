"""The words half of the SQL engine, for each database: SQLite FTS5 or a PostgreSQL tsvector.

Both store text already split by search.text.tokens, so they match the same words. A term of
the query becomes a condition on the work id (`d.work_id IN (...)`); a tree of terms becomes
SQL AND/OR/NOT over those, so a query may be all negative and the two databases need nothing
in common but that shape. Best Match ranks works matching in the title or creators before the
others, then by the database's own relevance (bm25 / ts_rank).
"""

import time

from django.db import connection

from ..text import FIELDS, And, Node, Not, Or, Term, positive_terms, tokens

FTS_TABLE = "search_workfts"  # SQLite: fts5(title, creators, summary, notes, tags)
TSV_TABLE = "search_worktext"  # PostgreSQL: (work_id, document, summary, notes tsvectors)

# PostgreSQL keeps four weights, so summary and notes share one in `document`; each also has
# a column of its own, which a search limited to it reads.
WEIGHTS = {"title": "A", "creators": "B", "tags": "C", "summary": "D", "notes": "D"}
OWN_COLUMNS = ("summary", "notes")
# Words of different fields (or of far-apart tags) must never form a phrase.
FIELD_GAP = 100
# FTS5 bm25 column weights, in FIELDS order.
BM25_WEIGHTS = (10.0, 10.0, 2.0, 1.0, 2.0)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Writing -----------------------------------------------------------------------------------


def write_documents(cursor, docs: dict[int, dict[str, str]]) -> None:
    """Replace the words of these works: work id -> {field: text}."""
    delete_documents(cursor, list(docs))
    if not docs:
        return
    if is_postgres():
        rows = [
            (
                work_id,
                _tsvector_literal(fields),
                *(
                    _tsvector_literal({name: fields.get(name, "")}, only=name)
                    for name in OWN_COLUMNS
                ),
            )
            for work_id, fields in docs.items()
        ]
        cursor.executemany(
            f"INSERT INTO {TSV_TABLE} (work_id, document, summary, notes) "  # noqa: S608
            "VALUES (%s, %s::tsvector, %s::tsvector, %s::tsvector)",
            rows,
        )
        return
    rows = [
        (work_id, *(" ".join(tokens(fields.get(name, ""))) for name in FIELDS))
        for work_id, fields in docs.items()
    ]
    columns = ", ".join(FIELDS)
    cursor.executemany(
        f"INSERT INTO {FTS_TABLE} (rowid, {columns}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
        rows,
    )


def delete_documents(cursor, work_ids: list[int]) -> None:
    table, column = (TSV_TABLE, "work_id") if is_postgres() else (FTS_TABLE, "rowid")
    for start in range(0, len(work_ids), 500):
        chunk = work_ids[start : start + 500]
        placeholders = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", chunk)  # noqa: S608


def _tsvector_literal(fields: dict[str, str], *, only: str | None = None) -> str:
    """A tsvector written out with positions and weights, so PostgreSQL keeps our words."""
    positions: dict[str, list[str]] = {}
    position = 1
    for name in [only] if only else FIELDS:
        weight = WEIGHTS[name]
        for word in tokens(fields.get(name, "")):
            if position <= 16383:
                positions.setdefault(word, []).append(f"{position}{weight}")
            position += 1
        position += FIELD_GAP
    return " ".join(f"'{word}':{','.join(spots)}" for word, spots in positions.items())


# --- Reading -----------------------------------------------------------------------------------


def text_condition(node: Node, *, rows: int | None = None) -> tuple[str, list]:
    """SQL true for the works (alias d) matching the query tree. `rows`: about how many works
    the condition will be asked of, when few (a small tag's); None for many."""
    if isinstance(node, Term):
        return _match_condition(_match_expression([node]), _column(node), rows=rows)
    if isinstance(node, Not):
        sql, params = text_condition(node.child, rows=rows)
        return f"NOT ({sql})", params
    joiner = " AND " if isinstance(node, And) else " OR "
    parts, params = [], []
    # Plain terms of one AND or OR go to the index as one expression.
    terms = [child for child in node.children if isinstance(child, Term)]
    if len({_column(term) for term in terms}) > 1:
        terms = []  # PostgreSQL: terms read from different columns
    if len(terms) > 1:
        expression = _match_expression(terms, any_of=isinstance(node, Or))
        sql, more = _match_condition(expression, _column(terms[0]), rows=rows)
        parts.append(sql)
        params += more
    else:
        terms = []
    for child in node.children:
        if child in terms:
            continue
        sql, more = text_condition(child, rows=rows)
        parts.append(f"({sql})")
        params += more
    return joiner.join(parts), params


def _column(term: Term) -> str:
    """The PostgreSQL column a term is looked for in."""
    return term.field if is_postgres() and term.field in OWN_COLUMNS else "document"


def _match_condition(
    expression: str, column: str = "document", *, rows: int | None = None
) -> tuple[str, list]:
    if is_postgres():
        return (
            f"d.work_id IN (SELECT work_id FROM {TSV_TABLE} WHERE {column} @@ %s::tsquery)",  # noqa: S608
            [expression],
        )
    if rows is not None and rows * PROBE_COST <= _works_matching(expression):
        # A word in most works, asked of a few: looking each work up in the word's list
        # beats reading the whole list (SQLite would build all of it first).
        return (
            f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            "AND rowid = d.work_id)",
            [expression],
        )
    return (
        f"d.work_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608
        [expression],
    )


# Measured at 1,000,000 works: reading a word's list costs ~0.3 µs a work holding it; looking
# one work up in it ~40 µs when the list is long.
PROBE_COST = 133
SAMPLE_SHARE = 16  # the estimate counts the newest 1/16th of the ids
FREQUENCY_TTL = 600.0
_frequencies: dict[str, tuple[float, int]] = {}


def _works_matching(expression: str) -> int:
    """About how many works match, from the newest sixteenth of the archive, remembered for
    a while by this process: it only weighs one plan against another, as a database's
    statistics do. FTS5 reads a rowid range of a word's list without reading the rest."""
    now = time.monotonic()
    seen = _frequencies.get(expression)
    if seen is not None and now - seen[0] < FREQUENCY_TTL:
        return seen[1]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(rowid) FROM {FTS_TABLE}")  # noqa: S608
        top = cursor.fetchone()[0] or 0
        span = max(top // SAMPLE_SHARE, 1)
        cursor.execute(
            f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid > %s",  # noqa: S608
            [expression, top - span],
        )
        count = cursor.fetchone()[0] * top // span
    if len(_frequencies) > 10_000:
        _frequencies.clear()
    _frequencies[expression] = (now, count)
    return count


def _match_expression(terms: list[Term], *, any_of: bool = False, fields=None) -> str:
    """Terms as one FTS5 MATCH or tsquery string. Words are letters and digits only (they come
    from tokens()), so quoting them is all the escaping needed."""
    if is_postgres():
        parts = [_tsquery_term(term, fields) for term in terms]
        return (" | " if any_of else " & ").join(f"({part})" for part in parts)
    parts = [_fts_term(term, fields) for term in terms]
    return (" OR " if any_of else " AND ").join(parts)


def _fts_term(term: Term, fields) -> str:
    phrase = '"' + " ".join(term.words) + '"'
    columns = [term.field] if term.field else fields
    if columns:
        return "{" + " ".join(columns) + "} : " + phrase
    return phrase


def _tsquery_term(term: Term, fields) -> str:
    columns = [term.field] if term.field else fields
    weights = "".join(sorted({WEIGHTS[name] for name in columns})) if columns else ""
    suffix = f":{weights}" if weights else ""
    return " <-> ".join(f"'{word}'{suffix}" for word in term.words)


def rank_join(node: Node) -> tuple[str, list, str, list]:
    """(join SQL, its params, order SQL, its params) ranking works for Best Match: those whose
    title or creators match some positive term first, then by relevance, best first."""
    terms = positive_terms(node)
    if not terms:
        return "", [], "", []
    anywhere = _match_expression(terms, any_of=True)
    headline = _match_expression(
        [Term(term.words) for term in terms], any_of=True, fields=("title", "creators")
    )
    if is_postgres():
        join = f"LEFT JOIN {TSV_TABLE} rank_text ON rank_text.work_id = d.work_id"
        order = (
            "(CASE WHEN rank_text.document @@ %s::tsquery THEN 1 ELSE 0 END) DESC, "
            "ts_rank(rank_text.document, %s::tsquery) DESC"
        )
        return join, [], order, [headline, anywhere]
    weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
    join = (
        f"LEFT JOIN (SELECT rowid AS work_id, bm25({FTS_TABLE}, {weights}) AS score "  # noqa: S608
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) rank_text "
        "ON rank_text.work_id = d.work_id"
    )
    order = (
        f"(CASE WHEN d.work_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "  # noqa: S608
        "THEN 1 ELSE 0 END) DESC, rank_text.score ASC"
    )
    return join, [anywhere], order, [headline]
