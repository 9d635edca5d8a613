"""Writes of the imports app: a file becomes a work, in one transaction, or nothing at all.

`do_import_file` is the one door; the command, the upload form and the background task all
go through it, so they detect, map, refuse and report alike.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.works.actions import do_create_work
from quire.works.models import Work

from .mapping import map_work
from .models import ImportBatch, ImportedWork, ImportFile
from .sources import NotAWork, parse_source

# Bigger than any AO3 download of a work within AO3's limits (510,000 characters a chapter).
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class ImportResult:
    name: str
    status: str  # "imported", "skipped" or "failed" (ImportFile.Status values)
    message: str = ""
    work: Work | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != ImportFile.Status.FAILED

    def explanation(self) -> str:
        """Why, for a page that shows the file and its status beside it."""
        parts = [] if self.status == ImportFile.Status.IMPORTED else [self.message]
        if self.status == ImportFile.Status.FAILED:
            parts = [f"It {self.message}."]
        parts += [f"Note: {notice}." for notice in self.notices]
        return " ".join(part[:1].upper() + part[1:] for part in parts if part)

    def line(self) -> str:
        """One line for a report: the file, what happened, and why."""
        if self.status == ImportFile.Status.IMPORTED:
            text = f"{self.name}: imported as work {self.work.pk} ({self.work.title})"
        elif self.status == ImportFile.Status.SKIPPED:
            text = f"{self.name}: skipped, {self.message}"
        else:
            text = f"{self.name}: not imported, it {self.message}"
        return text + "".join(f"; note: {notice}" for notice in self.notices)


class _Duplicate(Exception):
    def __init__(self, existing: ImportedWork | None):
        super().__init__()
        self.existing = existing


def do_import_file(
    name: str, data: bytes, *, pseud: Pseud, restricted: bool = False
) -> ImportResult:
    """Import one downloaded work as `pseud`'s, posted and backdated to its first publication.

    Never raises for a bad file: the result says what was wrong, and nothing is left in the
    database. A source imported before (same bytes, or same original URL) is skipped.
    Side effects: tags the archive does not know are created, as posting does.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        if len(data) > MAX_FILE_BYTES:
            raise NotAWork(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        parsed = parse_source(data)
        _check_new(digest, parsed.source_url)
        mapped = map_work(parsed, pseud=pseud, restricted=restricted)
        try:
            with transaction.atomic():
                work = do_create_work(
                    mapped.work, mapped.chapters[0], post=True, more_chapters=mapped.chapters[1:]
                )
                ImportedWork.objects.create(
                    work=work,
                    source_url=parsed.source_url[:500],
                    original_author=", ".join(parsed.authors)[:255],
                    source_format=parsed.source_format,
                    digest=digest,
                    imported_by=pseud.user,
                )
        except IntegrityError:
            # Another import of the same source committed first; this one left nothing.
            raise _Duplicate(None) from None
    except NotAWork as error:
        return ImportResult(name, ImportFile.Status.FAILED, str(error))
    except _Duplicate as duplicate:
        return ImportResult(name, ImportFile.Status.SKIPPED, _duplicate_message(duplicate))
    return ImportResult(name, ImportFile.Status.IMPORTED, work=work, notices=mapped.notices)


def _check_new(digest: str, source_url: str) -> None:
    same = Q(digest=digest)
    if source_url:
        # Repeating the partial unique index's condition lets SQLite use that index.
        same |= Q(source_url=source_url) & ~Q(source_url="")
    found = ImportedWork.objects.filter(same).only("work_id", "source_url").first()
    if found is not None:
        raise _Duplicate(found)


def _duplicate_message(duplicate: _Duplicate) -> str:
    existing = duplicate.existing
    if existing is None:
        return "this source was imported at the same time by another import"
    origin = f" from {existing.source_url}" if existing.source_url else ""
    return f"already imported{origin} as work {existing.work_id}"


def do_create_batch(user, *, pseud: Pseud, restricted: bool, files: list[tuple[str, bytes]]):
    """Keep uploaded files as a batch to import (now or in the background)."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(user=user, pseud=pseud, restricted=restricted)
        ImportFile.objects.bulk_create(
            ImportFile(batch=batch, position=position, name=name[:255], data=data)
            for position, (name, data) in enumerate(files)
        )
    return batch


def do_run_batch(batch: ImportBatch) -> None:
    """Import every waiting file of a batch, each in its own transaction, and record each
    result as it goes (the batch page shows progress). Safe to run again after a crash."""
    for entry in ImportFile.objects.filter(batch=batch, status=ImportFile.Status.PENDING).only(
        "id", "name"
    ):
        data = bytes(ImportFile.objects.values_list("data", flat=True).get(pk=entry.pk))
        result = do_import_file(entry.name, data, pseud=batch.pseud, restricted=batch.restricted)
        ImportFile.objects.filter(pk=entry.pk).update(
            status=result.status,
            message=result.explanation(),
            work=result.work,
            data=b"",
        )
    ImportBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
