"""Writing a whole archive into an empty database: `do_import_archive(directory)`.

Everything is checked before anything is written (format, migration state, every file's row
count and SHA-256, the target's emptiness), and the import is one transaction: the target ends
up holding the whole archive or exactly what it held before.
"""

import json
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

from . import archive
from .queries import migration_state

BATCH = 1000

Progress = Callable[[str, int, float], None]


class ArchiveError(Exception):
    """The archive can't be imported here; the message says why and what to do."""


def read_manifest(directory: Path) -> dict:
    if not directory.is_dir():
        raise ArchiveError(f"{directory} is not a directory.")
    path = directory / archive.MANIFEST
    if not path.is_file():
        raise ArchiveError(
            f"{directory} has no {archive.MANIFEST}: it is not an archive, or its export did "
            "not finish."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ArchiveError(f"{path} is not valid JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise ArchiveError(f"{path} is not the manifest of a Quire archive.")
    if manifest.get("format_version") != archive.FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is in format version {manifest.get('format_version')!r}; this Quire "
            f"reads version {archive.FORMAT_VERSION}. Export it again with this Quire's version."
        )
    return manifest


def _check_migrations(manifest: dict) -> None:
    theirs = {app: set(names) for app, names in manifest.get("migrations", {}).items()}
    ours = {app: set(names) for app, names in migration_state().items()}
    problems = []
    for app in sorted(theirs.keys() | ours.keys()):
        for name in sorted(theirs.get(app, set()) - ours.get(app, set())):
            problems.append(f"  {app}: the archive has {name}, which this database lacks")
        for name in sorted(ours.get(app, set()) - theirs.get(app, set())):
            problems.append(f"  {app}: this database has {name}, which the archive lacks")
    if problems:
        raise ArchiveError(
            "The archive's migration state differs from this database's:\n"
            + "\n".join(problems)
            + "\nRun `manage.py migrate` where migrations are missing (here, or on the source "
            "before exporting again), so both are at the same version."
        )


def check_archive(directory: Path) -> tuple[dict, list[tuple[type[models.Model], dict]]]:
    """Validate an archive against this database without writing anything: the manifest, the
    migration state, the tables (one for every exported model, with the same columns) and each
    file's row count and checksum. Returns the manifest and (model, table entry) pairs in the
    order to load them."""
    manifest = read_manifest(directory)
    _check_migrations(manifest)
    tables = manifest.get("tables", [])
    if not all(isinstance(entry, dict) and isinstance(entry.get("model"), str) for entry in tables):
        raise ArchiveError("The manifest lists a table without a model name.")
    entries: dict[str, dict] = {entry["model"]: entry for entry in tables}
    ours = archive.exported_models()
    unknown = sorted(set(entries) - {archive.label(model) for model in ours})
    if unknown:
        raise ArchiveError(f"The archive has tables this Quire does not export: {unknown}.")
    plan = []
    for model in ours:
        entry = entries.get(archive.label(model))
        if entry is None:
            raise ArchiveError(f"The archive has no table for {archive.label(model)}.")
        expected = {field.column for field in archive.columns(model) if field.column is not None}
        if set(entry["columns"]) != expected:
            raise ArchiveError(
                f"{entry['file']}: columns {sorted(entry['columns'])} do not match this "
                f"database's {sorted(expected)}."
            )
        path = directory / entry["file"]
        if Path(entry["file"]).name != entry["file"] or not path.is_file():
            raise ArchiveError(f"The archive's file {entry['file']} is missing.")
        digest, rows = archive.sha256_of(path)
        if digest != entry["sha256"]:
            raise ArchiveError(
                f"{entry['file']} does not match its checksum in the manifest: the file was "
                "changed or damaged after the export. Nothing was imported."
            )
        if rows != entry["rows"]:
            raise ArchiveError(
                f"{entry['file']} has {rows} rows; the manifest says {entry['rows']}."
            )
        plan.append((model, entry))
    return manifest, plan


def check_empty() -> None:
    """Refuse a database that holds anything but what its migrations put there."""
    filled = [
        archive.label(model)
        for model in archive.exported_models()
        if archive.label(model) not in archive.SEEDED and model._base_manager.exists()
    ]
    if filled:
        raise ArchiveError(
            "This database is not empty (rows in "
            + ", ".join(filled[:8])
            + (" ..." if len(filled) > 8 else "")
            + "). Import only into a freshly migrated database: create a new one and run "
            "`manage.py migrate` first."
        )


def do_import_archive(directory: Path, *, progress: Progress | None = None) -> dict:
    """Load the archive in `directory` into this (empty, migrated) database.

    Checks everything first (check_archive, check_empty), then, in one transaction: removes
    the rows the migrations seeded and any derived rows, inserts every table with its primary
    keys, checks every foreign key, moves PostgreSQL's sequences past the imported keys and
    rebuilds the derived tables (autocomplete words, filter table, search index). Returns the
    manifest."""
    manifest, plan = check_archive(directory)
    try:
        _load(plan, directory, progress)
    except IntegrityError as error:
        raise ArchiveError(
            f"The archive's rows do not fit together ({error}). Nothing was imported."
        ) from None
    # Content type ids are those of the archive now.
    ContentType.objects.clear_cache()
    return manifest


def _load(plan, directory: Path, progress: Progress | None) -> None:
    with transaction.atomic():
        check_empty()
        _remove_seeded_and_derived()
        for model, entry in plan:
            started = time.monotonic()
            _load_table(model, entry, directory / entry["file"])
            if progress:
                progress(entry["model"], entry["rows"], time.monotonic() - started)
        connection.check_constraints(table_names=[model._meta.db_table for model, _ in plan])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in plan]):
                cursor.execute(sql)
        started = time.monotonic()
        _rebuild_derived()
        if progress:
            progress("derived tables rebuilt", 0, time.monotonic() - started)


def _remove_seeded_and_derived() -> None:
    doomed = archive.in_dependency_order([*archive.exported_models(), *archive.derived_models()])
    with connection.cursor() as cursor:
        for model in reversed(doomed):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def _load_table(model: type[models.Model], entry: dict, path: Path) -> None:
    by_column = {field.column: field for field in archive.columns(model)}
    fields = [by_column[column] for column in entry["columns"]]
    parsers = [
        field.to_python if field.get_internal_type() in archive.NEEDS_PARSING else None
        for field in fields
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in entry["columns"]),
        ", ".join(["%s"] * len(fields)),
    )

    def prepared(values: list) -> list:
        return [
            field.get_db_prep_save(
                parse(value) if parse is not None and value is not None else value, connection
            )
            for field, parse, value in zip(fields, parsers, values, strict=True)
        ]

    def rows():
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield prepared(json.loads(line))
                except (ValueError, TypeError, ValidationError) as error:
                    raise ArchiveError(
                        f"{path.name}, line {number}: {error}. Nothing was imported."
                    ) from None

    # Plain SQL rather than bulk_create: bulk_create runs each field's pre_save, which would
    # stamp auto_now and auto_now_add columns with the time of the import. COPY on
    # PostgreSQL (a statement per row costs it a round trip); executemany on SQLite, where a
    # statement is a function call.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(quote(column) for column in entry["columns"])
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows():
                    copy.write_row(row)
            return
        batch = []
        for row in rows():
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _rebuild_derived() -> None:
    from quire.tags.actions import do_index_tag_words
    from quire.tags.audience import refresh_tag_audience
    from quire.tags.filters import rebuild_filters
    from quire.tags.models import Tag
    from quire.works.models import Work

    last = 0
    while tags := list(Tag.objects.filter(pk__gt=last).order_by("pk")[:BATCH]):
        do_index_tag_words(tags)
        last = tags[-1].pk
    # Rebuilding the filter table reindexes each batch of works for search as it goes.
    rebuild_filters(Work.objects.values_list("pk", flat=True))
    # Who may see each tag is derived too (an archive from before it existed has none).
    refresh_tag_audience(Tag.objects.values_list("pk", flat=True))
