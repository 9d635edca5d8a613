"""What an archive directory holds and how a row becomes a line of it.

An archive is a directory: `manifest.json` and one JSON Lines file per table, each line one
row as a JSON array in the manifest's column order. Which tables go in is decided here, once,
for every model of every installed app (Quire's, Django's, allauth's), so a model another app
adds is carried along without anyone listing it; only the tables below are left out.

Values are written as JSON natively where JSON has the type, otherwise as text that the model
field's own `to_python` reads back: ISO 8601 dates and times, decimals and UUIDs as strings,
binary data as base64. Nothing here depends on which database wrote or will read the archive.
"""

import base64
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.duration import duration_iso_string

FORMAT = "quire-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# Rows nobody wrote: they follow from other rows and are rebuilt after an import (actions.py,
# `_rebuild_derived`), so an archive never carries a stale copy of them. Every model here is
# also emptied in the target before the import.
DERIVED = frozenset(
    {
        "tags.filtertagging",  # tags.filters.rebuild_filters
        "tags.autocompleteword",  # tags.actions.do_index_tag_words
        "search.workdoc",  # search.index.reindex_works (with the full-text table beside it)
        "search.facetgeneration",  # bumped by the reindex
        "search.facetcache",  # filled again by the first listing
    }
)
# Rows that only matter to the running instance that made them.
EPHEMERAL = frozenset(
    {
        "sessions.session",  # logins of the old instance
        "account.emailconfirmation",  # pending confirmation keys
        "django_tasks_database.dbtaskresult",  # queued and finished background jobs
        "tags.pendingfilterrebuild",  # the import rebuilds every work's filters anyway
        # Upload batches and their files waiting for the worker: a queue, not the archive's
        # content (ImportedWork, each imported work's provenance, goes along).
        "imports.importbatch",
        "imports.importfile",
    }
)
SKIPPED = DERIVED | EPHEMERAL

# Tables that a freshly migrated database already has rows in (seed migrations and Django's
# post_migrate). An import replaces those rows with the archive's own, primary keys included,
# so every foreign key in the archive points where it did in the source.
SEEDED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "tags.tag",  # tags 0002 (ratings, warnings, categories), 0005 (media)
        "works.language",  # works 0002
        "pages.rulepage",  # pages 0002 (the five rules pages)
        "pages.ruleversion",  # pages 0003 (their starting texts)
        "auth.group",  # the staff roles (moderation's post_migrate: roles.sync_staff_roles)
        "auth.group_permissions",
    }
)


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def file_name(model: type[models.Model]) -> str:
    return f"{label(model)}.jsonl"


def stored_models() -> list[type[models.Model]]:
    """Every model with a table of its own (many-to-many tables included), in no order."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def in_dependency_order(chosen: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models ordered so that each comes after the models its foreign keys point at.

    A key to the same table, or a cycle, is left to the database: Django declares foreign keys
    DEFERRABLE INITIALLY DEFERRED on both databases, checked when the import is done. Ties go
    by label, so two exports of one archive list the tables alike."""
    pending = {label(model): model for model in chosen}
    needs = {
        name: {
            label(field.related_model)
            for field in model._meta.concrete_fields
            if field.related_model is not None and label(field.related_model) in pending
        }
        - {name}
        for name, model in pending.items()
    }
    ordered: list[type[models.Model]] = []
    while pending:
        ready = sorted(name for name in pending if not (needs[name] & pending.keys()))
        if not ready:  # a cycle: take the first by name, the database checks at the end
            ready = [min(pending)]
        for name in ready:
            ordered.append(pending.pop(name))
    return ordered


def exported_models() -> list[type[models.Model]]:
    return in_dependency_order(m for m in stored_models() if label(m) not in SKIPPED)


def derived_models() -> list[type[models.Model]]:
    return in_dependency_order(m for m in stored_models() if label(m) in DERIVED)


def columns(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields in table order: every column of the table."""
    return list(model._meta.concrete_fields)


def _encode_binary(value: Any) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": lambda value: value.isoformat(),
    "DateField": lambda value: value.isoformat(),
    "TimeField": lambda value: value.isoformat(),
    "DecimalField": str,
    "UUIDField": str,
    "BinaryField": _encode_binary,
    "DurationField": duration_iso_string,
}
# Fields read back from text by their own to_python (the types of _ENCODERS).
NEEDS_PARSING = frozenset(_ENCODERS)


def encoders(fields: list[models.Field]) -> list[Callable[[Any], Any] | None]:
    return [_ENCODERS.get(field.get_internal_type()) for field in fields]


def encode_row(row: tuple, coders: list[Callable[[Any], Any] | None]) -> str:
    values = [
        value if coder is None or value is None else coder(value)
        for value, coder in zip(row, coders, strict=True)
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"


def sha256_of(path: Path) -> tuple[str, int]:
    """The file's SHA-256 and its number of lines (rows)."""
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as handle:
        for line in handle:
            digest.update(line)
            lines += 1
    return digest.hexdigest(), lines


@dataclass(frozen=True)
class TableEntry:
    model: str
    table: str
    file: str
    columns: list[str]
    rows: int
    sha256: str
