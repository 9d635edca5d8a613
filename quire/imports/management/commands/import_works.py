import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quire.accounts.models import Pseud, User
from quire.imports.actions import do_import_files
from quire.imports.models import ImportFile

SUFFIXES = {".html", ".htm", ".epub", ".txt"}


class Progress:
    """A one-line progress bar, drawn only on a terminal (logs and pipes get none)."""

    WIDTH = 30

    def __init__(self, stream, total: int):
        self.stream, self.total, self.done = stream, total, 0
        self.shown = stream.isatty() and total > 1
        self.started = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if not self.shown:
            return
        filled = self.WIDTH * self.done // self.total
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{' ' * (self.WIDTH - filled)}] {self.done}/{self.total} "
            f"files, {rate:.0f}/s",
            ending="",
        )
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 40) + "\r", ending="")

    def write(self, line: str) -> None:
        self.clear()
        self.stream.write(line)


class Command(BaseCommand):
    help = (
        "Import AO3 downloads (HTML, EPUB, the flattened text form, FanFicFare EPUBs) as works "
        "of one user. Directories are searched for .html, .epub and .txt files."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--as", dest="login", required=True, metavar="LOGIN")
        parser.add_argument("--pseud", help="One of the user's pseuds (default: their default)")
        parser.add_argument(
            "--restricted", action="store_true", help="Show the works to registered users only."
        )

    def handle(self, *args, paths, login, pseud, restricted, **options):
        user = User.objects.filter(username__iexact=login).first()
        if user is None:
            raise CommandError(f'No user "{login}".')
        pseuds = Pseud.objects.filter(user=user)
        chosen = (
            pseuds.filter(name__iexact=pseud).first()
            if pseud
            else pseuds.filter(is_default=True).first()
        )
        if chosen is None:
            raise CommandError(
                f'{login} has no pseud "{pseud}": add it at /users/{login}/pseuds/new.'
            )
        files = _files(paths)
        if not files:
            raise CommandError("No files to import.")

        progress = Progress(self.stdout, len(files))
        counts = dict.fromkeys(ImportFile.Status.values, 0)
        started = time.monotonic()

        def readable():
            for path in files:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    progress.write(self.style.ERROR(f"{path}: not imported, {error.strerror}"))
                    counts[ImportFile.Status.FAILED] += 1
                    progress.step()
                    continue
                yield str(path), data

        # Files are read as they are imported, a chunk at a time (do_import_files).
        for result in do_import_files(readable(), pseud=chosen, restricted=restricted):
            counts[result.status] += 1
            if not result.ok:
                progress.write(self.style.ERROR(result.line()))
            elif result.notices or options["verbosity"] > 1:
                progress.write(result.line())
            progress.step()
        progress.clear()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Imported {counts['imported']}, skipped {counts['skipped']} already imported, "
            f"{counts['failed']} not imported; {len(files)} files in {seconds:.1f} s "
            f"({len(files) / max(seconds, 1e-9):.0f} files/s)."
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files were not imported.")


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)  # a missing file is reported in the run, like any bad file
    return found
