"""Background tasks of the tags app (django-tasks; the database backend in production)."""

from django_tasks import task

from .filters import rebuild_pending


@task()
def rebuild_pending_filters() -> int:
    """Rebuild the filters of every work touched by pending wrangling changes.

    Idempotent. If it fails, its error stays in the task table and the pending rows stay, so
    the next run (queued by the next wrangling change, or by `manage.py rebuild_filters`)
    does the work again.
    """
    return rebuild_pending()
