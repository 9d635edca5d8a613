from typing import TypedDict

from django.db.models import Count, Q
from django.http import Http404
from django_stubs_ext import WithAnnotations

from .models import ImportBatch, ImportFile


class _BatchCounts(TypedDict):
    total: int
    waiting: int


def access_batch(user, batch_id: int) -> "WithAnnotations[ImportBatch, _BatchCounts]":
    """One's own upload batch, with its counts; anyone else's is missing (404)."""
    batch = (
        ImportBatch.objects.filter(pk=batch_id, user=user)
        .annotate(
            total=Count("files"),
            waiting=Count("files", filter=Q(files__status=ImportFile.Status.PENDING)),
        )
        .first()
    )
    if batch is None:
        raise Http404("No such import.")
    return batch


def batch_files(batch: ImportBatch):
    return (
        ImportFile.objects.filter(batch=batch)
        .defer("data")
        .select_related("work")
        .only("id", "name", "status", "message", "position", "batch_id", "work__id", "work__title")
    )
