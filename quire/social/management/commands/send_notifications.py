from django.core.management.base import BaseCommand

from quire.social.actions.notifications import do_send_notifications


class Command(BaseCommand):
    help = (
        "Deliver pending subscription notices now (what the send_notifications task does): "
        "one e-mail per subscriber, and their inbox."
    )

    def handle(self, *args, **options):
        result = do_send_notifications()
        self.stdout.write(
            f"Delivered {result.delivered:,} notices to {result.subscribers:,} subscribers "
            f"in {result.emails:,} e-mails; dropped {result.dropped:,}."
        )
        if result.failed:
            self.stderr.write(
                f"Mail failed for {len(result.failed):,} subscribers; their notices wait for "
                "the next run (see the log)."
            )
