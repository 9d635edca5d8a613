"""`manage.py import_archive DIR`: load an archive made by `export_archive` into a freshly
migrated, empty database, then rebuild the derived tables. All or nothing."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quire.backup.actions import ArchiveError, do_import_archive

from .export_archive import progress_printer


class Command(BaseCommand):
    help = "Import an archive exported with export_archive into this empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="A directory written by export_archive.")

    def handle(self, *args, directory: str, verbosity: int = 1, **options) -> None:
        started = time.monotonic()
        try:
            manifest = do_import_archive(
                Path(directory), progress=progress_printer(self, verbosity)
            )
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            rows = sum(table["rows"] for table in manifest["tables"])
            self.stdout.write(
                f"Imported {rows} rows of {len(manifest['tables'])} tables from {directory} "
                f"in {time.monotonic() - started:.1f} s."
            )
