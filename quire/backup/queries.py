"""Reading a whole archive out of the database: `export_archive(directory)`.

Rows are streamed table by table (`.iterator(chunk_size)`), so an export holds one chunk in
memory however big the archive is, and the whole export reads one snapshot of the database.
"""

import hashlib
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import archive

CHUNK = 2000

Progress = Callable[[str, int, float], None]


def quire_version() -> str:
    try:
        return metadata.version("quire")
    except metadata.PackageNotFoundError:
        return "unknown"


def migration_state() -> dict[str, list[str]]:
    """The migrations applied to this database, by app: what an archive's schema is."""
    state: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def export_archive(directory: Path, *, progress: Progress | None = None) -> dict:
    """Write every exported table of the default database into `directory` (created; it must
    be empty), then the manifest. The manifest is written last, under a temporary name first,
    so a directory without one is an unfinished export that no import will take."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty; export into a new directory.")
    tables = []
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, so the archive is consistent with itself while
            # the archive goes on taking writes. (SQLite's transaction is one snapshot already.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        migrations = migration_state()
        for model in archive.exported_models():
            started = time.monotonic()
            tables.append(_export_table(model, directory))
            if progress:
                progress(tables[-1]["model"], tables[-1]["rows"], time.monotonic() - started)
    manifest = {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "quire_version": quire_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source_database": connection.vendor,
        "migrations": migrations,
        "skipped": {"derived": sorted(archive.DERIVED), "ephemeral": sorted(archive.EPHEMERAL)},
        "tables": tables,
    }
    partial = directory / f".{archive.MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    os.replace(partial, directory / archive.MANIFEST)
    return manifest


def _export_table(model, directory: Path) -> dict:
    fields = archive.columns(model)
    coders = archive.encoders(fields)
    attnames = [field.attname for field in fields]
    path = directory / archive.file_name(model)
    rows = model._base_manager.order_by("pk").values_list(*attnames).iterator(chunk_size=CHUNK)
    digest = hashlib.sha256()
    count = 0
    with path.open("wb") as handle:
        for row in rows:
            line = archive.encode_row(row, coders).encode()
            digest.update(line)
            handle.write(line)
            count += 1
    return {
        "model": archive.label(model),
        "table": model._meta.db_table,
        "file": path.name,
        "columns": [field.column for field in fields],
        "rows": count,
        "sha256": digest.hexdigest(),
    }
