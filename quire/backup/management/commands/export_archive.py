"""`manage.py export_archive DIR`: the whole archive as JSON Lines files plus a manifest, to be
read back by `import_archive` on another instance, SQLite or PostgreSQL."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quire.backup.queries import export_archive


class Command(BaseCommand):
    help = "Export the whole archive (every table but derived and ephemeral ones) into DIR."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="A new or empty directory.")

    def handle(self, *args, directory: str, verbosity: int = 1, **options) -> None:
        started = time.monotonic()
        try:
            manifest = export_archive(Path(directory), progress=progress_printer(self, verbosity))
        except FileExistsError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            rows = sum(table["rows"] for table in manifest["tables"])
            self.stdout.write(
                f"Exported {rows} rows of {len(manifest['tables'])} tables to {directory} "
                f"in {time.monotonic() - started:.1f} s."
            )


def progress_printer(command: BaseCommand, verbosity: int):
    """A line per table when someone is watching (a terminal) or asked for it (-v 2)."""
    if not verbosity or (verbosity < 2 and not command.stdout.isatty()):
        return None

    def show(name: str, rows: int, seconds: float) -> None:
        command.stdout.write(f"  {name:<40} {rows:>9} rows {seconds:6.1f} s")

    return show
