"""Background import of an uploaded batch (django-tasks; the database backend in production)."""

from django_tasks import task

from .actions import do_run_batch
from .models import ImportBatch


@task()
def import_batch(batch_id: int) -> None:
    """Import a batch's waiting files; a batch that is gone (its owner deleted) is done."""
    batch = ImportBatch.objects.filter(pk=batch_id).select_related("pseud").first()
    if batch is not None:
        do_run_batch(batch)
