"""Shared by the wrangling view tests: building tags the way the app does, and a snapshot of
the taxonomy to prove a refused change left everything as it was."""

from typing import Any

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


# The make_work argument each user tag type goes in.
_WORK_FIELDS = {
    TagType.FANDOM: "fandoms",
    TagType.CHARACTER: "characters",
    TagType.RELATIONSHIP: "relationships",
    TagType.FREEFORM: "freeforms",
}


def put_in_use(*tags: Tag, restricted: bool = False):
    """Post a work tagged with these tags, so that others may see them (tags/audience.py: a
    tag only drafts or private bookmarks use is shown to no one but wranglers)."""
    from quire.accounts.models import User
    from quire.testing import make_user, make_work

    author = User.objects.filter(username="tagger").first() or make_user("tagger")
    fields: dict[str, list[str]] = {}
    for tag in tags:
        fields.setdefault(_WORK_FIELDS[TagType(tag.type)], []).append(tag.name)
    fields.setdefault("fandoms", ["Pride and Prejudice - Jane Austen"])
    tag_fields: dict[str, Any] = {name: tuple(names) for name, names in fields.items()}
    return make_work(author=author, restricted=restricted, **tag_fields)
