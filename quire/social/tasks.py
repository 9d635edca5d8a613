"""Background tasks of the social app (django-tasks; the database backend in production)."""

from django_tasks import task

from .actions import do_flush_hits
from .notifications import do_send_notifications


@task()
def flush_hits() -> int:
    """Add buffered hits to WorkStats.hits. Idempotent and safe to run concurrently; rows a
    failed run leaves unflushed are picked up by the next (or by `manage.py flush_hits`)."""
    return do_flush_hits()


@task()
def send_notifications() -> int:
    """Deliver pending subscription notices: one e-mail per subscriber, and their inbox. Safe
    to run late, twice or concurrently (notifications.py); returns how many were delivered."""
    return do_send_notifications().delivered
