from django.core.management.base import BaseCommand

from quire.social.actions.kudos_digests import do_send_kudos_digests


class Command(BaseCommand):
    help = (
        "Send the kudos e-mails now (what the daily send_kudos_digests task does): one e-mail "
        "per creator for the kudos left since the last digest."
    )

    def handle(self, *args, **options):
        result = do_send_kudos_digests()
        self.stdout.write(f"Told {result.kudos:,} kudos in {result.emails:,} e-mails.")
        if result.failed:
            self.stderr.write(f"Mail failed for {len(result.failed):,} creators (see the log).")
