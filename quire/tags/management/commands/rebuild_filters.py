import time

from django.core.management.base import BaseCommand, CommandError

from quire.tags import filters
from quire.tags.models import PendingFilterRebuild
from quire.works.models import Work


class Command(BaseCommand):
    help = (
        "Rebuild the filter table: --pending does now what the background task would do "
        "(the works of pending wrangling changes); --all rebuilds every work."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Rebuild the filters of every work.")
        which.add_argument(
            "--pending",
            action="store_true",
            help="Rebuild the works of pending wrangling changes, here and now.",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=filters.BATCH_SIZE,
            help=f"Works per transaction (default {filters.BATCH_SIZE}).",
        )

    def handle(self, *args, all: bool, pending: bool, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        started = time.perf_counter()
        if pending:
            tags = PendingFilterRebuild.objects.values("tag_id").distinct().count()
            works = filters.rebuild_pending(batch_size=batch)
            self.stdout.write(
                f"Rebuilt the filters of {works:,} works for {tags:,} changed tags "
                f"in {time.perf_counter() - started:.1f} s."
            )
            return
        works = self._rebuild_all(batch, started)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Rebuilt the filters of {works:,} works in {seconds:.1f} s "
            f"({works / seconds if seconds else 0:,.0f} works/s)."
        )

    def _rebuild_all(self, batch: int, started: float) -> int:
        # Changes recorded before the first batch are covered by the rebuild of every work
        # (each batch reads the taxonomy as it then stands); later ones keep their rows.
        settled = list(PendingFilterRebuild.objects.values_list("pk", flat=True))
        ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
        # About twenty progress lines, whatever the archive's size.
        step = max(batch, -(-len(ids) // 20 // batch) * batch)
        for start in range(0, len(ids), step):
            filters.rebuild_filters(ids[start : start + step], batch_size=batch)
            done = min(start + step, len(ids))
            self.stdout.write(
                f"  {done:,} of {len(ids):,} works ({time.perf_counter() - started:.1f} s)"
            )
        for start in range(0, len(settled), 900):
            PendingFilterRebuild.objects.filter(pk__in=settled[start : start + 900]).delete()
        return len(ids)
