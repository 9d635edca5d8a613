from django.core.management.base import BaseCommand

from quire.invitations.actions import do_release_invitations
from quire.pages.queries import site_settings


class Command(BaseCommand):
    help = (
        "Invite the first addresses in the invitation queue now (by default the day's "
        "share, site settings' invitations per day); each is mailed a sign-up link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, help="How many to invite (default: per day).")

    def handle(self, *args, count=None, **options):
        if count is None:
            count = site_settings().invitations_per_day
        released = do_release_invitations(count)
        self.stdout.write(f"Released {len(released):,} invitations.")
