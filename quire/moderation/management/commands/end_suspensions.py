from django.core.management.base import BaseCommand

from quire.moderation.actions import do_end_past_suspensions


class Command(BaseCommand):
    help = (
        "Clear suspensions whose date has passed and log their end (tidying only: a "
        "suspension stops applying at its date either way). Run it from cron, e.g. hourly."
    )

    def handle(self, *args, **options):
        ended = do_end_past_suspensions()
        self.stdout.write(f"Ended {ended:,} suspensions.")
