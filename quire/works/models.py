from django.db import models
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.tags.models import Tag

TITLE_MAX = 255
SUMMARY_MAX = 1250
NOTES_MAX = 5000
CHAPTER_MIN = 10
CHAPTER_MAX = 510_000


class Language(models.Model):
    """AO3's language list: short codes such as en, ptBR, zh."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommentPermission(models.IntegerChoices):
    EVERYONE = 0, "Registered users and guests can comment"
    REGISTERED = 1, "Only registered users can comment"
    NO_ONE = 2, "No one can comment"


class Work(models.Model):
    """A story in chapters. `posted=False` is a draft, which Quire never deletes on its own."""

    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    language = models.ForeignKey(Language, on_delete=models.PROTECT)
    restricted = models.BooleanField(default=False, help_text="Registered users only.")
    comment_permission = models.PositiveSmallIntegerField(
        choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )
    moderated_comments = models.BooleanField(default=False)
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    posted = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    word_count = models.PositiveIntegerField(default=0)
    posted_chapter_count = models.PositiveIntegerField(default=0)
    # Blurbs link the chapter count to the newest posted chapter; kept here to spare a query.
    last_chapter_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Visibility flags that later capabilities set (moderation, collections). visible_works()
    # already honours them so no surface has to be revisited when they arrive.
    hidden_by_admin = models.BooleanField(default=False)
    in_unrevealed_collection = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    # Derived from the rating tagging by the actions that set tags: the adult gate needs it
    # before (and without) loading the work's tags.
    adult = models.BooleanField(default=False)
    # Derived from the filter set by tags.filters.rebuild_filters, and only there.
    crossover = models.BooleanField(default=False)
    otp = models.BooleanField(default=False)

    published_at = models.DateField(null=True, blank=True)  # first posting; imports backdate it
    revised_at = models.DateTimeField(null=True, blank=True)  # "Date Updated" of listings
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every action that changes what the work page shows; part of fragment cache keys.
    version = models.PositiveIntegerField(default=1)
    title_sort_key = models.CharField(max_length=TITLE_MAX + 10, blank=True, db_index=True)

    pseuds = models.ManyToManyField(Pseud, through="Creatorship", related_name="works")
    tags = models.ManyToManyField(Tag, through="Tagging", related_name="works")

    class Meta:
        indexes = [
            models.Index(
                fields=["-revised_at", "-id"],
                name="works_listing_idx",
                condition=models.Q(posted=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_oneshot(self) -> bool:
        return self.expected_chapters == 1 and self.posted_chapter_count <= 1

    @property
    def chapters_label(self) -> str:
        return f"{self.posted_chapter_count}/{self.expected_chapters or '?'}"


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="works_creatorship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pseud_id} on {self.work_id}"


class Tagging(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="taggings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="works_tagging_unique")]
        indexes = [models.Index(fields=["tag", "work"])]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.work_id}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    content = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=False)
    published_at = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Hidden by staff (quire.moderation): gone for readers, with its comments, as a draft
    # chapter is; its creators and staff still read it, with a notice. The work stays.
    hidden_by_admin = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["work", "position"])]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """ "Chapter N: Title", or "Chapter N" when untitled."""
        base = f"Chapter {self.position}"
        return f"{base}: {self.title}" if self.title else base


class WorkStats(models.Model):
    """Counters kept off the works row so a popular work never locks it (DESIGN.md)."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="stats")
    hits = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)
    bookmarks_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Stats of {self.work_id}"


class Series(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Hidden by staff (quire.moderation): visible_series leaves it out; access_series lets
    # its creators and staff in, with a notice.
    hidden_by_admin = models.BooleanField(default=False)
    pseuds = models.ManyToManyField(Pseud, related_name="series")
    works = models.ManyToManyField(Work, through="SerialWork", related_name="series")

    # Not columns: set by the queries that list them, declared here for the type checker.
    words: int
    works_count: int

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title


class SerialWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="serial_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="serial_works")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="works_serialwork_unique")
        ]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series_id}"
