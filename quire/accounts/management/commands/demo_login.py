from django.conf import settings
from django.core.management.base import BaseCommand

from quire.accounts.models import User
from quire.seeding.login import demo_login_path, read_demo_login, read_wrangler_login


class Command(BaseCommand):
    help = "Say where Quire is starting and how to log in to the demo accounts (make run)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        self.stdout.write(f"Quire is starting on http://127.0.0.1:{port}")
        stored = read_demo_login(settings.DATA_DIR)
        if stored is None:
            self.stdout.write(
                f"No demo account ({demo_login_path(settings.DATA_DIR)} is missing): "
                "manage.py seed_demo creates one in an empty archive."
            )
            return
        self.stdout.write(self._login_line("Demo login", "demo account", *stored))
        wrangler = read_wrangler_login(settings.DATA_DIR)
        if wrangler is not None:  # archives seeded before the demo wrangler have none
            self.stdout.write(self._login_line("Wrangler login", "demo wrangler", *wrangler))

    def _login_line(self, label: str, account: str, username: str, password: str) -> str:
        user = User.objects.filter(username=username).first()
        if user is None:
            return f"No {account}: this archive has no user {username!r}."
        if not user.check_password(password):
            return f"{label}: {username} (its password was changed after seeding)"
        return f"{label}: {username} / {password}"
