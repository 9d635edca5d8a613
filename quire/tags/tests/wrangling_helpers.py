"""Shared by the wrangling view tests: building tags the way the app does, and a snapshot of
the taxonomy to prove a refused change left everything as it was."""

from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import (
    CommonTagging,
    FilterTagging,
    MetaTagging,
    Tag,
    TagType,
    WranglingEvent,
)
from quire.testing import row_counts


def make_tag(name: str, tag_type: TagType = TagType.FREEFORM, *, canonical: bool = False) -> Tag:
    (tag,) = do_find_or_create_tags([name], tag_type)
    if canonical:
        tag = do_set_canonical(tag, True)
    return tag


def make_unsorted(name: str) -> Tag:
    # Nothing in the app creates unsorted tags yet (imports and bookmarks will).
    return Tag.objects.create(name=name, name_key=name.lower(), type=TagType.UNSORTED)


def taxonomy_snapshot() -> tuple:
    """Every tag's wrangling state and every relation, comparable before and after."""
    tags = list(
        Tag.objects.order_by("pk").values_list(
            "name", "type", "canonical", "merger", "unwrangleable"
        )
    )
    links = (
        sorted(CommonTagging.objects.values_list("parent", "child")),
        sorted(MetaTagging.objects.values_list("meta", "sub")),
        sorted(FilterTagging.objects.values_list("work", "tag", "inherited")),
    )
    return tags, links, row_counts(WranglingEvent)
