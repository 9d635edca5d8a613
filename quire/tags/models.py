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
    # A synonym points at exactly one canonical tag of its type; wrangling comes with issue 3.
    merger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )
    unwrangleable = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["type", "canonical"])]

    def __str__(self) -> str:
        return self.name
