"""Writes for tags. Wrangling (synonyms, metatags, the filter table) arrives with issue 3."""

from django.db import IntegrityError, transaction

from .models import Tag, TagType
from .names import tag_key
from .queries import tag_by_name, tags_by_names

# The suffix AO3 adds when a name is taken by a tag of another type (AO3.md §2).
TYPE_SUFFIXES = {
    TagType.FANDOM: "Fandom",
    TagType.RELATIONSHIP: "Relationship",
    TagType.CHARACTER: "Character",
    TagType.FREEFORM: "Freeform",
}


def do_find_or_create_tags(names: list[str], tag_type: TagType) -> list[Tag]:
    """Resolve typed names to tags of `tag_type`, creating unknown ones as non-canonical.

    A name already used by a tag of another type becomes "NAME - Type". Names must already be
    valid (see names.tag_name_errors). Returns tags in the order given, without duplicates.
    """
    existing = tags_by_names(names)
    result: list[Tag] = []
    for name in names:
        tag = existing.get(tag_key(name))
        if tag is not None and tag.type != tag_type:
            tag = _find_or_create(f"{name} - {TYPE_SUFFIXES[tag_type]}", tag_type)
        elif tag is None:
            tag = _find_or_create(name, tag_type)
        if tag not in result:
            result.append(tag)
    return result


def _find_or_create(name: str, tag_type: TagType) -> Tag:
    tag = tag_by_name(name)
    if tag is not None:
        return tag
    try:
        # A savepoint, so losing a race with another poster does not spoil the outer transaction.
        with transaction.atomic():
            return Tag.objects.create(name=name, name_key=tag_key(name), type=tag_type)
    except IntegrityError:
        return Tag.objects.get(name_key=tag_key(name))
