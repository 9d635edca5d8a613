"""Shapes a work's rows into what AO3's markup shows (AO3.md §9): tag groups with their
labels and classes, and the four "required tags" symbols of a blurb."""

from dataclasses import dataclass

from quire.tags.fixed import (
    RATING_SYMBOLS,
    WARNING_LABELS,
    category_symbol,
    warning_symbol,
)
from quire.tags.models import Tag, TagType

# type -> (css class, singular label, plural label)
TAG_GROUP_LABELS = {
    TagType.RATING: ("rating", "Rating:", "Ratings:"),
    TagType.WARNING: ("warning", "Archive Warning:", "Archive Warnings:"),
    TagType.CATEGORY: ("category", "Category:", "Categories:"),
    TagType.FANDOM: ("fandom", "Fandom:", "Fandoms:"),
    TagType.RELATIONSHIP: ("relationship", "Relationship:", "Relationships:"),
    TagType.CHARACTER: ("character", "Character:", "Characters:"),
    TagType.FREEFORM: ("freeform", "Additional Tags:", "Additional Tags:"),
}


@dataclass
class TagGroup:
    type: str
    css: str
    label: str
    tags: list[Tag]


def tag_label(tag: Tag) -> str:
    return WARNING_LABELS.get(tag.name, tag.name)


def group_tags(tags: list[Tag]) -> list[TagGroup]:
    """Tags grouped by type in display order; types without tags are left out."""
    by_type: dict[str, list[Tag]] = {}
    for tag in tags:
        by_type.setdefault(tag.type, []).append(tag)
    groups = []
    for tag_type, (css, singular, plural) in TAG_GROUP_LABELS.items():
        members = by_type.get(tag_type)
        if members:
            groups.append(
                TagGroup(tag_type, css, singular if len(members) == 1 else plural, members)
            )
    return groups


@dataclass
class Symbol:
    css: str
    title: str


def required_symbols(tags: list[Tag], *, complete: bool) -> list[Symbol]:
    """The four squares of a blurb: rating, warnings, category, completion."""
    names: dict[str, list[str]] = {
        tag_type: [] for tag_type in (TagType.RATING, TagType.WARNING, TagType.CATEGORY)
    }
    for tag in tags:
        if tag.type in names:
            names[tag.type].append(tag.name)
    ratings = names[TagType.RATING]
    warnings = names[TagType.WARNING]
    categories = names[TagType.CATEGORY]
    rating_css = RATING_SYMBOLS.get(ratings[0], "rating-notrated") if ratings else "rating-notrated"
    return [
        Symbol(f"{rating_css} rating", ", ".join(ratings) or "Not Rated"),
        Symbol(
            f"{warning_symbol(warnings)} warnings",
            ", ".join(WARNING_LABELS.get(name, name) for name in warnings),
        ),
        Symbol(f"{category_symbol(categories)} category", ", ".join(categories) or "No category"),
        Symbol(
            "complete-yes iswip" if complete else "complete-no iswip",
            "Complete Work" if complete else "Work in Progress",
        ),
    ]
