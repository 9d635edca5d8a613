"""The autocomplete's indexes and its word table.

The lookups are range scans (`key >= term AND key < next(term)`), which equal a prefix match
only under a binary collation: SQLite's default, and COLLATE "C" on PostgreSQL, whose database
collation may be a locale's. So the two indexes are created here per database rather than in
Meta, and the queries (tags.queries.autocomplete_tags) apply the same collation.
Data migrations never import app code: the word splitting is copied from
tags.actions.tag_name_tails.
"""

import re

import django.db.models.deletion
from django.db import migrations, models

_WORD_START = re.compile(r"(?<!\w)\w")
BATCH = 2000


def _tails(name_key):
    return {name_key[m.start() :] for m in _WORD_START.finditer(name_key) if m.start() > 0}


def create_indexes(apps, schema_editor):
    q = schema_editor.quote_name
    tag = q(apps.get_model("tags", "Tag")._meta.db_table)
    word = q(apps.get_model("tags", "AutocompleteWord")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        name_key, tail = '(name_key COLLATE "C")', '(tail COLLATE "C")'
    else:
        name_key, tail = "name_key", "tail"
    schema_editor.execute(
        f"CREATE INDEX tags_tag_autocomplete_idx ON {tag} (type, canonical, {name_key})"
    )
    schema_editor.execute(f"CREATE INDEX tags_autocompleteword_tail_idx ON {word} ({tail}, tag_id)")


def drop_indexes(apps, schema_editor):
    schema_editor.execute("DROP INDEX tags_tag_autocomplete_idx")
    schema_editor.execute("DROP INDEX tags_autocompleteword_tail_idx")


def fill_words(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    AutocompleteWord = apps.get_model("tags", "AutocompleteWord")
    last = 0
    while True:
        batch = list(
            Tag.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "name_key")[:BATCH]
        )
        if not batch:
            return
        AutocompleteWord.objects.bulk_create(
            [
                AutocompleteWord(tag_id=pk, tail=tail)
                for pk, name_key in batch
                for tail in sorted(_tails(name_key))
            ]
        )
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [("tags", "0005_seed_media")]

    operations = [
        migrations.CreateModel(
            name="AutocompleteWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tail", models.CharField(max_length=150)),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tags.tag"
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
    ]
