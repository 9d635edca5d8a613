from django.core.management.base import BaseCommand, CommandError

from quire.social.actions import FLUSH_BATCH, do_flush_hits


class Command(BaseCommand):
    help = "Add buffered hits to the works' hit counts now (what the flush_hits task does)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            type=int,
            default=FLUSH_BATCH,
            help=f"Buffered hits per transaction (default {FLUSH_BATCH}).",
        )

    def handle(self, *args, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        added = do_flush_hits(batch_size=batch)
        self.stdout.write(f"Added {added:,} hits.")
