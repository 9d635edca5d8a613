from django.core.management.base import BaseCommand

from quire.moderation.roles import sync_staff_roles


class Command(BaseCommand):
    help = "Make the staff roles' groups match quire/moderation/roles.py (idempotent)."

    def handle(self, *args, **options):
        for role, count in sync_staff_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
