from django.core.management.base import BaseCommand

from quire.downloads.actions import do_prune_downloads


class Command(BaseCommand):
    help = "Delete stored downloads of deleted, hidden or unposted works and deleted series."

    def handle(self, *args, **options) -> None:
        removed = do_prune_downloads()
        self.stdout.write(f"Deleted {removed} stored download file(s).")
