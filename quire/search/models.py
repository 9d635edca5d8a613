"""The search index's tables, and the reader's own search settings (blocklist, saved searches).

WorkDoc is derived data with ONE writer (index.reindex_works): one narrow row per listable work
holding what listings filter and sort on, and the work's packed filter-tag ids that facets are
counted from. The full-text words live beside it in a vendor-specific table (SQLite FTS5 or a
PostgreSQL tsvector) made by migration 0002.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RowidOneToOneField(models.OneToOneField):
    """A one-to-one primary key that SQLite stores as the table's rowid.

    Only a column declared exactly INTEGER PRIMARY KEY is the rowid; Django declares a key
    pointing at a BigAutoField as bigint, which makes SQLite keep a separate index and look
    every row up twice. Listings read tens of thousands of index rows by work id."""

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class WorkDoc(models.Model):
    """A listable work as listings see it. A work has a row exactly when some logged-in reader
    may list it (visible_works); `public` says whether logged-out visitors may too."""

    work = RowidOneToOneField(
        "works.Work", primary_key=True, on_delete=models.CASCADE, related_name="search_doc"
    )
    public = models.BooleanField()
    anonymous = models.BooleanField()
    language_id = models.IntegerField()
    complete = models.BooleanField()
    crossover = models.BooleanField()
    chapters = models.PositiveIntegerField()
    word_count = models.PositiveIntegerField()
    revised_at = models.BigIntegerField(help_text="Date Updated, in Unix seconds.")
    published_at = models.BigIntegerField(help_text="Date Posted, in Unix seconds (midnight UTC).")
    title_sort_key = models.CharField(max_length=300)
    creator_sort_key = models.CharField(max_length=300)
    # Little-endian uint32s, one per filter tag: tag id << 3 | facet type code (engines/facets).
    tags = models.BinaryField()
    # A digest of the words indexed for full text, so an unchanged work is not rewritten.
    text_digest = models.CharField(max_length=32)

    class Meta:
        indexes = [
            models.Index(fields=["revised_at", "work"], name="search_doc_revised"),
            models.Index(fields=["published_at", "work"], name="search_doc_published"),
            models.Index(fields=["word_count", "work"], name="search_doc_words"),
            models.Index(fields=["title_sort_key", "work"], name="search_doc_title"),
            models.Index(fields=["creator_sort_key", "work"], name="search_doc_creator"),
        ]

    def __str__(self) -> str:
        return f"search doc of work {self.work_id}"


class FacetGeneration(models.Model):
    """Bumped, in the writing transaction, whenever the set of listable works under a tag
    changes (a work gains or loses it, appears, disappears or changes audience). Tag 0 stands
    for the whole archive (/works)."""

    tag_id = models.BigIntegerField(primary_key=True)
    generation = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"tag {self.tag_id} at generation {self.generation}"


class FacetCache(models.Model):
    """The facets and total of a bare tag listing for one audience, valid while its generation
    equals the tag's FacetGeneration."""

    tag_id = models.BigIntegerField()
    audience = models.CharField(max_length=16)
    generation = models.BigIntegerField()
    total = models.PositiveIntegerField()
    facets = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag_id", "audience"], name="search_facetcache_key")
        ]

    def __str__(self) -> str:
        return f"facets of tag {self.tag_id} for {self.audience}"


class BlocklistEntry(models.Model):
    """One thing a reader never wants to see in listings: a tag, a creator or a single work."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocklist"
    )
    tag = models.ForeignKey("tags.Tag", null=True, blank=True, on_delete=models.CASCADE)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    work = models.ForeignKey("works.Work", null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(tag__isnull=False, creator__isnull=True, work__isnull=True)
                    | Q(tag__isnull=True, creator__isnull=False, work__isnull=True)
                    | Q(tag__isnull=True, creator__isnull=True, work__isnull=False)
                ),
                name="search_blocklist_one_target",
            ),
            models.UniqueConstraint(fields=["owner", "tag"], name="search_blocklist_tag"),
            models.UniqueConstraint(fields=["owner", "creator"], name="search_blocklist_creator"),
            models.UniqueConstraint(fields=["owner", "work"], name="search_blocklist_work"),
        ]

    def __str__(self) -> str:
        return f"blocklist entry {self.pk} of user {self.owner_id}"


class SavedSearch(models.Model):
    """A listing with its filters, kept under a name, with a private Atom feed."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    path = models.CharField(max_length=500)
    query_string = models.TextField(blank=True)
    feed_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
