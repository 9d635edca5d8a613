"""Writes of the imports app: a file becomes a work, in one transaction, or nothing at all.

`do_import_files` is the one door (`do_import_file` is it for one file); the command, the
upload form and the background task all go through it, so they detect, map, refuse and
report alike.

Many files go in chunks: each chunk is one transaction, each file in it a savepoint (a bad
file rolls back alone), and the filter rebuild and reindex of the chunk's works run once at
its end (works.versions.deferred_work_refresh). Files are parsed and mapped before the chunk's
transaction opens, so the write lock is held only while rows are written.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.tags.actions import cached_tag_lookups, forget_cached_tags
from quire.works.actions import do_create_work
from quire.works.models import Work
from quire.works.versions import deferred_work_refresh

from .mapping import Lookups, Mapped, map_work
from .models import ImportBatch, ImportedWork, ImportFile
from .sources import NotAWork, parse_source

# Bigger than any AO3 download of a work within AO3's limits (510,000 characters a chapter).
MAX_FILE_BYTES = 50 * 1024 * 1024
# Files to a transaction: enough that the once-a-chunk work is a small share of each file's,
# few enough that the write lock is never held for long (a chunk writes in a fraction of a
# second) and that a chunk which has to be redone one file at a time costs little.
CHUNK = 50
# ...and a chunk closes early past this many bytes of files, which it holds parsed meanwhile.
CHUNK_BYTES = 16 * 1024 * 1024


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
        if self.status == ImportFile.Status.IMPORTED and self.work is not None:
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


@dataclass
class _Prepared:
    """A file parsed and mapped, ready to write (or already a failed result)."""

    name: str
    data: bytes
    digest: str = ""
    source_url: str = ""
    authors: list[str] = field(default_factory=list)
    source_format: str = ""
    mapped: Mapped | None = None
    failed: ImportResult | None = None


def do_import_file(
    name: str, data: bytes, *, pseud: Pseud, restricted: bool = False
) -> ImportResult:
    """Import one downloaded work as `pseud`'s, posted and backdated to its first publication.

    Never raises for a bad file: the result says what was wrong, and nothing is left in the
    database. A source the same account imported before (same bytes, or same original URL)
    is skipped.
    Side effects: tags the archive does not know are created, as posting does.
    """
    prepared = _prepare(name, data, pseud=pseud, restricted=restricted, lookups=Lookups())
    return _write(prepared, {})


def do_import_files(
    files: Iterable[tuple[str, bytes]],
    *,
    pseud: Pseud,
    restricted: bool = False,
    chunk: int = CHUNK,
) -> Iterator[ImportResult]:
    """Import many files as do_import_file does each, in order, yielding each file's result
    as soon as its chunk has committed.

    Same guarantees, file by file: a bad file leaves nothing and the others still import, a
    source met twice (even within one call) is imported once, and when it is done the works
    read, list and search exactly as if each had been imported alone.
    """
    lookups = Lookups()
    waiting: list[tuple[str, bytes]] = []
    size = 0
    for item in files:
        waiting.append(item)
        size += len(item[1])
        if len(waiting) >= chunk or size >= CHUNK_BYTES:
            yield from _import_chunk(waiting, pseud=pseud, restricted=restricted, lookups=lookups)
            waiting, size = [], 0
    if waiting:
        yield from _import_chunk(waiting, pseud=pseud, restricted=restricted, lookups=lookups)


def _import_chunk(
    files: list[tuple[str, bytes]], *, pseud: Pseud, restricted: bool, lookups: Lookups
) -> list[ImportResult]:
    prepared = [
        _prepare(name, data, pseud=pseud, restricted=restricted, lookups=lookups)
        for name, data in files
    ]
    try:
        with deferred_work_refresh(), cached_tag_lookups():
            seen: dict[str, ImportedWork] = {}
            return [_write(each, seen) for each in prepared]
    except Exception:
        # Something no single file explains (the chunk's own writes at its end, a lost
        # connection, a bug tripped by one file): the whole chunk rolled back, so do it again
        # one file at a time, which imports what can be and fails as a lone import would.
        alone: dict[str, ImportedWork] = {}
        return [_write(each, alone) for each in prepared]


def _prepare(
    name: str, data: bytes, *, pseud: Pseud, restricted: bool, lookups: Lookups
) -> _Prepared:
    """Parse and map, touching the database only to read."""
    prepared = _Prepared(name, data)
    try:
        if len(data) > MAX_FILE_BYTES:
            raise NotAWork(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        prepared.digest = hashlib.sha256(data).hexdigest()
        parsed = parse_source(data)
        prepared.source_url = parsed.source_url
        prepared.authors = parsed.authors
        prepared.source_format = parsed.source_format
        # A duplicate says so before any complaint about its contents. Sources met since (earlier
        # in the same chunk, or committed by another import meanwhile) are caught when written.
        _check_new(prepared.digest, parsed.source_url, user=pseud.user)
        prepared.mapped = map_work(parsed, pseud=pseud, restricted=restricted, lookups=lookups)
    except NotAWork as error:
        prepared.failed = ImportResult(name, ImportFile.Status.FAILED, str(error))
    except _Duplicate as duplicate:
        prepared.failed = ImportResult(
            name, ImportFile.Status.SKIPPED, _duplicate_message(duplicate)
        )
    return prepared


def _write(prepared: _Prepared, seen: dict[str, ImportedWork]) -> ImportResult:
    """Write a prepared file in its own savepoint. `seen` holds the sources written earlier in
    this transaction by digest and URL (_prepare's check ran before they were); a source
    another import commits meanwhile trips the unique constraints instead."""
    if prepared.failed is not None:
        return prepared.failed
    mapped = prepared.mapped
    if mapped is None:  # _prepare sets either `failed` or `mapped`
        raise ValueError(f"{prepared.name} was neither mapped nor refused")
    if mapped is None:  # _prepare sets either `failed` or `mapped`
        raise ValueError(f"{prepared.name} was neither mapped nor refused")
    pseud = mapped.work.pseuds[0]
    try:
        with transaction.atomic():
            earlier = seen.get(prepared.digest) or seen.get(prepared.source_url[:500] or "-")
            if earlier is not None:
                raise _Duplicate(earlier)
            work = do_create_work(
                mapped.work, mapped.chapters[0], post=True, more_chapters=mapped.chapters[1:]
            )
            record = ImportedWork.objects.create(
                work=work,
                source_url=prepared.source_url[:500],
                original_author=", ".join(prepared.authors)[:255],
                source_format=prepared.source_format,
                digest=prepared.digest,
                imported_by=pseud.user,
            )
    except NotAWork as error:
        forget_cached_tags()
        return ImportResult(prepared.name, ImportFile.Status.FAILED, str(error))
    except _Duplicate as duplicate:
        forget_cached_tags()
        return ImportResult(prepared.name, ImportFile.Status.SKIPPED, _duplicate_message(duplicate))
    except IntegrityError:
        # Another import of the same source committed first; this one left nothing.
        forget_cached_tags()
        return ImportResult(
            prepared.name, ImportFile.Status.SKIPPED, _duplicate_message(_Duplicate(None))
        )
    except BaseException:
        forget_cached_tags()
        raise
    seen[record.digest] = record
    if record.source_url:
        seen[record.source_url] = record
    return ImportResult(
        prepared.name, ImportFile.Status.IMPORTED, work=work, notices=mapped.notices
    )


def _check_new(digest: str, source_url: str, *, user) -> None:
    """Raise _Duplicate if `user` imported this source before. Another account's import of
    it is none of this one's business (anyone may claim an AO3 URL first)."""
    same = Q(digest=digest)
    if source_url:
        # Repeating the partial unique index's condition lets SQLite use that index.
        same |= Q(source_url=source_url) & ~Q(source_url="")
    found = (
        ImportedWork.objects.filter(same, imported_by=user).only("work_id", "source_url").first()
    )
    if found is not None:
        raise _Duplicate(found)


def _duplicate_message(duplicate: _Duplicate) -> str:
    # Only ever the importer's own work: duplicates are checked per account.
    existing = duplicate.existing
    if existing is None:
        return "you imported this source at the same time in another import"
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
    """Import every waiting file of a batch, a chunk at a time, and record each result as its
    chunk commits (the batch page shows progress). Safe to run again after a crash."""
    entries = list(
        ImportFile.objects.filter(batch=batch, status=ImportFile.Status.PENDING)
        .order_by("position", "id")
        .values_list("id", "name")
    )

    def files():
        for pk, name in entries:
            yield name, bytes(ImportFile.objects.values_list("data", flat=True).get(pk=pk))

    results = do_import_files(files(), pseud=batch.pseud, restricted=batch.restricted)
    for (pk, _), result in zip(entries, results, strict=True):
        ImportFile.objects.filter(pk=pk).update(
            status=result.status,
            message=result.explanation(),
            work=result.work,
            data=b"",
        )
    ImportBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
