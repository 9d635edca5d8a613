from django.conf import settings
from django.db import models
from django.utils import timezone

from quire.works.models import Work


class ImportedWork(models.Model):
    """Where an imported work came from. The digest (of the file's bytes) and the original
    URL each identify a source, so the same account importing it again is detected and
    skipped. Only the same account: anyone may import an AO3 URL first, and that must not
    stop its real author (nor tell them whose work holds it)."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="imported_from")
    source_url = models.CharField(max_length=500, blank=True)
    original_author = models.CharField(max_length=255, blank=True)
    source_format = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)  # sha256 hex of the file
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["imported_by", "digest"], name="imports_importedwork_user_digest_unique"
            ),
            models.UniqueConstraint(
                fields=["imported_by", "source_url"],
                condition=~models.Q(source_url=""),
                name="imports_importedwork_user_source_url_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.source_url or self.digest


class ImportBatch(models.Model):
    """Files uploaded together at /works/import, imported in the request (a few) or by the
    import_batch task (many), which the batch page follows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Import {self.pk} by {self.user_id}"


class ImportFile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        IMPORTED = "imported", "Imported"
        SKIPPED = "skipped", "Already imported"
        FAILED = "failed", "Not imported"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    # The upload, kept only until it is imported.
    data = models.BinaryField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name
