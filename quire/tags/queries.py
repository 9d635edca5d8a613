from django.db.models.functions import Lower

from .models import Tag, TagType


def fixed_tags(tag_type: TagType) -> list[Tag]:
    """The fixed set of one type (ratings, warnings, categories), in display order."""
    return list(Tag.objects.filter(type=tag_type, canonical=True).order_by("id"))


def tag_by_name(name: str) -> Tag | None:
    return Tag.objects.annotate(lname=Lower("name")).filter(lname=name.lower()).first()


def names_taken_by_other_types(names: list[str], tag_type: TagType) -> set[str]:
    """The names among `names` (lower-cased) that tags of another type already hold."""
    return set(
        Tag.objects.annotate(lname=Lower("name"))
        .filter(lname__in=[name.lower() for name in names])
        .exclude(type=tag_type)
        .values_list("lname", flat=True)
    )
