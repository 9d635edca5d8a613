from django.db import models

TAG_NAME_MAX = 150


class TagType(models.TextChoices):
    # Order matters: it is the order of tag types wherever a work's tags are shown (AO3.md §1).
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"
    MEDIA = "media", "Media"
    UNSORTED = "unsorted", "Unsorted"


# The types a writer fills in as free text on the posting form.
USER_TAG_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
# The fixed sets (AO3.md §1), chosen from lists, never typed.
FIXED_TAG_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY)
WORK_TAG_TYPES = FIXED_TAG_TYPES + USER_TAG_TYPES


class Tag(models.Model):
    """One tag in AO3's single namespace of names (case-insensitively unique across types)."""

    name = models.CharField(max_length=TAG_NAME_MAX)
    # The name lower-cased in Python (names.tag_key), so "Éponine" and "éponine" are one tag on
    # every database: SQLite's LOWER() folds ASCII letters only.
    name_key = models.CharField(max_length=TAG_NAME_MAX, unique=True)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    # A synonym points at exactly one canonical tag of its type (AO3.md §2).
    merger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )
    unwrangleable = models.BooleanField(default=False)
    # Who besides wranglers may see the tag at all (its pages, search, autocomplete): a tag
    # typed into a draft or a private bookmark is nobody else's business. Derived, with ONE
    # writer (audience.refresh_tag_audience): canonical tags are shown to everyone; any other
    # tag to guests when a work guests may list or a public bookmark they may see uses it, to
    # logged-in readers when such a work or bookmark visible to them does. Guests' implies
    # users'. Stored rather than asked per request, so that a tag page or an autocomplete
    # costs the same whatever the number of works and bookmarks behind its tags.
    shown_to_guests = models.BooleanField(default=False)
    shown_to_users = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not columns: set on the rows of some listings (queries.fandoms_with_counts,
    # with_parent_fandoms), declared here for the type checker.
    works_count: int
    parent_fandoms: list["Tag"]

    class Meta:
        indexes = [models.Index(fields=["type", "canonical"])]
        # Held by the Tag Wrangling staff role (quire/moderation/roles.py).
        permissions = [("wrangle_tags", "Can wrangle tags")]

    def __str__(self) -> str:
        return self.name


class CommonTagging(models.Model):
    """A parent/child association (media -> fandom; fandom -> character, relationship,
    freeform; character -> relationship). It organises tags; it never changes listings."""

    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="tags_commontagging_unique")
        ]
        indexes = [models.Index(fields=["child", "parent"])]

    def __str__(self) -> str:
        return f"{self.parent_id} > {self.child_id}"


class MetaTagging(models.Model):
    """A direct metatag/subtag edge. Works tagged with the subtag are listed under the metatag
    and, transitively, under every metatag above it."""

    meta = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_links")
    sub = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meta", "sub"], name="tags_metatagging_unique")
        ]
        indexes = [models.Index(fields=["sub", "meta"])]

    def __str__(self) -> str:
        return f"{self.meta_id} >> {self.sub_id}"


class FilterTagging(models.Model):
    """Derived: the canonical tags a work is found under. ONE writer: filters.rebuild_filters.

    `inherited` marks rows that come only from a metatag above the work's own tags.
    """

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="filter_taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="filter_taggings")
    inherited = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "tag"], name="tags_filtertagging_unique")
        ]
        indexes = [models.Index(fields=["tag", "work"])]

    def __str__(self) -> str:
        return f"{self.work_id} under {self.tag_id}"


class PendingFilterRebuild(models.Model):
    """A tag whose works' filters must be rebuilt. Written in the same transaction as the
    wrangling change and deleted only after a successful rebuild, so a failed background run
    loses nothing: the next run picks the rows up again."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"rebuild works of {self.tag_id}"


class WranglingEvent(models.Model):
    """Wrangling history: who changed what, when."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wrangling_events")
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.tag_id}"


class AutocompleteWord(models.Model):
    """Derived, for the autocomplete's word match: one row per word of a tag's name after the
    first, holding the name_key from that word's start to the end ("john watson" and "watson"
    for "Sherlock Holmes/John Watson"), so a range scan on `tail` finds every tag with a word
    (or run of words) starting with the typed term. The first word needs no row: the prefix
    match on Tag.name_key covers it.

    Rows depend on the name alone, so they are written when a tag is created or renamed.
    ONE writer: actions.do_index_tag_words. The index on `tail` (binary collation, so a range
    is exactly a prefix on every database) is created by migration 0006, per database.
    """

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    tail = models.CharField(max_length=TAG_NAME_MAX)

    def __str__(self) -> str:
        return f"{self.tail} -> {self.tag_id}"
