"""Rebuild the search index from the works: after restoring a database without it, or to
check that nothing drifted. Safe to run on a live archive (each chunk is its own transaction;
unchanged works are not rewritten)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from quire.search.engines import get_engine
from quire.search.models import WorkDoc
from quire.works.models import Work

CHUNK = 1000


class Command(BaseCommand):
    help = "Rebuild the search index of every work."

    def handle(self, *args, verbosity: int = 1, **options) -> None:
        engine = get_engine()
        ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
        # Works already gone keep no index rows.
        stale = WorkDoc.objects.exclude(work_id__in=Work.objects.values("pk"))
        engine.delete(list(stale.values_list("work_id", flat=True)))
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                engine.index(ids[start : start + CHUNK])
            if verbosity > 1:
                self.stdout.write(f"{min(start + CHUNK, len(ids))} / {len(ids)} works")
        if verbosity:
            self.stdout.write(f"Indexed {len(ids)} works.")
