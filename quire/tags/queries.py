from .models import Tag, TagType
from .names import tag_key


def fixed_tags(tag_type: TagType) -> list[Tag]:
    """The fixed set of one type (ratings, warnings, categories), in display order."""
    return list(Tag.objects.filter(type=tag_type, canonical=True).order_by("id"))


def tag_by_name(name: str) -> Tag | None:
    return Tag.objects.filter(name_key=tag_key(name)).first()


def tags_by_names(names: list[str]) -> dict[str, Tag]:
    """Existing tags for these names, keyed by tag_key(name)."""
    keys = [tag_key(name) for name in names]
    return {tag.name_key: tag for tag in Tag.objects.filter(name_key__in=keys)}


def names_taken_by_other_types(names: list[str], tag_type: TagType) -> set[str]:
    """The names among `names` (as tag keys) that tags of another type already hold."""
    return set(
        Tag.objects.filter(name_key__in=[tag_key(name) for name in names])
        .exclude(type=tag_type)
        .values_list("name_key", flat=True)
    )
