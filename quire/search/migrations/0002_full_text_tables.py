"""The full-text half of the search index, which each database keeps its own way: an FTS5 table
on SQLite, tsvector columns with GIN indexes on PostgreSQL. Both hold words already split by
quire.search.text, so neither database's own tokenizer decides what a word is.

PostgreSQL keeps four weights in a tsvector, one short of the five fields, so `document` holds
every field (weighted for ranking) and summary and notes have columns of their own for a search
limited to one of them.

No foreign key to works_work: the index writer removes a work's words before the work goes
(search.index.forget_works), and a key Django doesn't know about would stop its flush (tests,
`manage.py flush`) from truncating works_work."""

from django.db import migrations

SQLITE = [
    (
        "CREATE VIRTUAL TABLE search_workfts USING fts5("
        "title, creators, summary, notes, tags, tokenize = 'ascii')",
        "DROP TABLE search_workfts",
    ),
]
POSTGRESQL = [
    (
        "CREATE TABLE search_worktext ("
        "work_id bigint PRIMARY KEY, document tsvector NOT NULL, "
        "summary tsvector NOT NULL, notes tsvector NOT NULL)",
        "DROP TABLE search_worktext",
    ),
    (
        "CREATE INDEX search_worktext_document ON search_worktext USING gin (document)",
        "DROP INDEX search_worktext_document",
    ),
    (
        "CREATE INDEX search_worktext_summary ON search_worktext USING gin (summary)",
        "DROP INDEX search_worktext_summary",
    ),
    (
        "CREATE INDEX search_worktext_notes ON search_worktext USING gin (notes)",
        "DROP INDEX search_worktext_notes",
    ),
]


def _statements(vendor: str):
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])


def create(apps, schema_editor):
    for forward, _ in _statements(schema_editor.connection.vendor):
        schema_editor.execute(forward)


def drop(apps, schema_editor):
    for _, backward in reversed(_statements(schema_editor.connection.vendor)):
        schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_workdoc_facets_blocklist_saved_searches")]

    operations = [migrations.RunPython(create, drop)]
