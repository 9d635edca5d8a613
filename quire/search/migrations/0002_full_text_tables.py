"""The full-text half of the search index, which each database keeps its own way: an FTS5 table
on SQLite, a tsvector column with a GIN index on PostgreSQL. Both hold words already split by
quire.search.text, so neither database's own tokenizer decides what a word is."""

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
        "work_id bigint PRIMARY KEY REFERENCES works_work (id) ON DELETE CASCADE "
        "DEFERRABLE INITIALLY DEFERRED, document tsvector NOT NULL)",
        "DROP TABLE search_worktext",
    ),
    (
        "CREATE INDEX search_worktext_document ON search_worktext USING gin (document)",
        "DROP INDEX search_worktext_document",
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
