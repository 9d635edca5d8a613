import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quire.seeding import SeedError, seed_demo
from quire.works.models import Work


class Command(BaseCommand):
    help = (
        "Fill an empty archive with a generated demo archive (benign text, AO3-like tags, "
        "a demo login). The same --seed gives the same archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, required=True, help="How many works to write.")
        parser.add_argument("--seed", type=int, default=1, help="Which demo archive (default 1).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when the archive already has works.",
        )

    def handle(self, *args, works: int, seed: int, if_empty: bool, verbosity: int, **options):
        if works < 1:
            raise CommandError("--works must be at least 1.")
        existing = Work.objects.count()
        has = f"The archive already has {existing:,} work{'' if existing == 1 else 's'}"
        if existing and if_empty:
            self.stdout.write(f"{has}; not seeding a demo.")
            return
        if existing:
            raise CommandError(
                f"{has}; seed_demo only fills an empty archive (--if-empty skips quietly)."
            )

        def progress(done: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {done:,} of {works:,} works")

        started = time.perf_counter()
        try:
            written = seed_demo(
                works=works, seed=seed, data_dir=settings.DATA_DIR, progress=progress
            )
        except SeedError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Seeded the demo archive (seed {seed}): {written.works:,} works, "
            f"{written.chapters:,} chapters, {written.users:,} users, {written.tags:,} tags "
            f"in {seconds:.1f} s."
        )
