"""Background tasks of the social app (django-tasks; the database backend in production)."""

from django_tasks import task

from .actions import do_flush_hits


@task()
def flush_hits() -> int:
    """Add buffered hits to WorkStats.hits. Idempotent and safe to run concurrently; rows a
    failed run leaves unflushed are picked up by the next (or by `manage.py flush_hits`)."""
    return do_flush_hits()
