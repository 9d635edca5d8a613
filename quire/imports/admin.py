from functools import partial

from django.contrib import admin
from django.db import transaction

from .models import ImportBatch, ImportedWork
from .tasks import import_batch


@admin.register(ImportedWork)
class ImportedWorkAdmin(admin.ModelAdmin):
    list_display = ("work", "source_url", "original_author", "source_format", "imported_at")
    search_fields = ("source_url", "original_author", "digest")
    raw_id_fields = ("work", "imported_by")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "finished_at")
    raw_id_fields = ("user", "pseud")
    actions = ["resume"]

    @admin.action(description="Import the files still waiting (after a worker died)")
    def resume(self, request, queryset):
        # On commit: a worker picking the task up must find the batch as committed.
        for batch in queryset.filter(finished_at__isnull=True):
            transaction.on_commit(partial(import_batch.enqueue, batch.pk))
