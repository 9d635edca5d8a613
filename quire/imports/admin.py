from django.contrib import admin

from .models import ImportBatch, ImportedWork


@admin.register(ImportedWork)
class ImportedWorkAdmin(admin.ModelAdmin):
    list_display = ("work", "source_url", "original_author", "source_format", "imported_at")
    search_fields = ("source_url", "original_author", "digest")
    raw_id_fields = ("work", "imported_by")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "finished_at")
    raw_id_fields = ("user", "pseud")
