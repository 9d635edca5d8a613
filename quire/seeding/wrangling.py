"""The demo archive's taxonomy, wrangled the way AO3's wranglers leave an archive.

The canons of canons.json are canonical fandoms under their media, with their characters
canonical below them; the most used relationships and additional tags are canonical too.
Invented canons stay in "Uncategorized Fandoms", as a new fandom does until someone sorts it.
Two jobs are left for a demo wrangler on purpose: the other spellings of canons.json's
synonym pairs ("Holmes", "coffee shop AU") are used by works but unwrangled, and both sides of
its metatag pairs are canonical but not linked.

`plan_wrangling()` decides, from the tags the archive's works use, what a wrangler would have
done (by tag name, so it reads the same on any database); `write_wrangling()` writes it in
bulk. The seeding test applies the same decisions through the real wrangling actions and
compares the rows.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from quire.tags.actions import TYPE_SUFFIXES, do_index_tag_words
from quire.tags.fixed import UNCATEGORIZED_FANDOMS
from quire.tags.models import CommonTagging, Tag, TagType
from quire.tags.names import tag_key

from .canons import canons_json

# "The most used": a relationship or additional tag used by at least this many works.
MIN_USES = 3
# canons.json files "Original Work" under a medium of the same name, but a name belongs to one
# tag only, and that one is the fandom; AO3 files Original Work under Other Media.
MEDIUM_INSTEAD = {"Original Work": "Other Media"}
_WRANGLED_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


@dataclass
class Wrangling:
    """What a wrangler would have done, as tag names."""

    # Canonical tags to create, in this order: media canons.json needs that the archive lacks,
    # and the canonical side of a synonym pair no work spells that way yet.
    new_tags: list[tuple[str, TagType]] = field(default_factory=list)
    # Existing tags to make canonical, in creation order.
    canonical: list[str] = field(default_factory=list)
    # (parent, child) associations; a fandom given a medium leaves "Uncategorized Fandoms".
    parents: list[tuple[str, str]] = field(default_factory=list)


class _Tags:
    """The archive's tags by name, resolving a typed name as do_find_or_create_tags does."""

    def __init__(self) -> None:
        self.by_key = {
            tag.name_key: tag
            for tag in Tag.objects.order_by("id").only(
                "id", "name", "name_key", "type", "canonical"
            )
        }
        self.uses = dict(
            Tag.objects.filter(type__in=_WRANGLED_TYPES)
            .annotate(uses=Count("taggings"))
            .values_list("name_key", "uses")
        )

    def find(self, name: str, tag_type: TagType) -> Tag | None:
        """The tag a writer typing `name` in a `tag_type` field gets, if it exists."""
        tag = self.by_key.get(tag_key(name))
        if tag is not None and tag.type != tag_type and tag_type in TYPE_SUFFIXES:
            tag = self.by_key.get(tag_key(f"{name} - {TYPE_SUFFIXES[tag_type]}"))
        return tag if tag is not None and tag.type == tag_type else None

    def of_type(self, tag_type: TagType) -> list[Tag]:
        return [tag for tag in self.by_key.values() if tag.type == tag_type]


def plan_wrangling() -> Wrangling:
    """Decide the demo's wrangling from the tags its works use (deterministic)."""
    data = canons_json()
    tags = _Tags()
    canonical: dict[str, Tag] = {}  # existing tags to make canonical, by name key
    created: dict[str, tuple[str, TagType]] = {}  # canonical tags to create, by name key
    parents: dict[tuple[str, str], None] = {}  # an ordered set

    def make_canonical(tag: Tag) -> None:
        if not tag.canonical:
            canonical.setdefault(tag.name_key, tag)

    def will_be_canonical(name: str) -> bool:
        tag = tags.by_key.get(tag_key(name))
        return (
            tag_key(name) in created
            or (tag is not None and tag.canonical)
            or (tag_key(name) in canonical)
        )

    # Synonym pairs: the canonical side is canonical (created, with the other spelling's type,
    # if no work spells it that way yet); the other spelling stays as its writers left it.
    aliases: set[str] = set()
    for alias, target in data["synonyms"]:
        alias_tag = tags.by_key.get(tag_key(alias))
        if tag_key(alias) == tag_key(target) or alias_tag is None:
            continue  # "fluff" and "Fluff" are one tag; or no work uses this spelling
        aliases.add(alias_tag.name_key)
        target_tag = tags.find(target, TagType(alias_tag.type))
        if target_tag is not None:
            make_canonical(target_tag)
        elif tag_key(target) not in tags.by_key:
            created[tag_key(target)] = (target, TagType(alias_tag.type))

    # Canons: each fandom under its medium, its characters under it.
    media: dict[str, None] = {}
    character_fandoms: dict[str, list[str]] = {}  # canon character name -> fandom names
    for medium, entries in data["media"].items():
        medium = MEDIUM_INSTEAD.get(medium, medium)
        for entry in entries:
            fandom = tags.find(entry["fandom"], TagType.FANDOM)
            if fandom is not None:
                make_canonical(fandom)
            elif tag_key(entry["fandom"]) not in created:
                continue  # no work is in this canon
            fandom_name = fandom.name if fandom is not None else entry["fandom"]
            media[medium] = None
            parents[(medium, fandom_name)] = None
            for name in entry["characters"]:
                character_fandoms.setdefault(name, []).append(fandom_name)
                character = tags.find(name, TagType.CHARACTER)
                if character is not None and character.name_key not in aliases:
                    make_canonical(character)
                    parents[(fandom_name, character.name)] = None
                elif created.get(tag_key(name), ("", None))[1] == TagType.CHARACTER:
                    parents[(fandom_name, name)] = None
    new_media = [(medium, TagType.MEDIA) for medium in media if tag_key(medium) not in tags.by_key]

    # The most used relationships between those canons' characters, under their fandom and
    # their (canonical) characters.
    for tag in tags.of_type(TagType.RELATIONSHIP):
        if tags.uses.get(tag.name_key, 0) < MIN_USES:
            continue
        people = tag.name.split("/") if "/" in tag.name else tag.name.split(" & ")
        if not all(person in character_fandoms for person in people):
            continue  # an invented canon's, or not a plain pairing
        make_canonical(tag)
        shared = set.intersection(*(set(character_fandoms[person]) for person in people))
        for fandom_name in sorted(shared):
            parents[(fandom_name, tag.name)] = None
        for person in people:
            character = tags.find(person, TagType.CHARACTER)
            name = character.name if character is not None else person
            if will_be_canonical(name):
                parents[(name, tag.name)] = None

    # The most used additional tags, and both sides of every metatag pair (left unlinked).
    pair_names = {tag_key(name) for pair in data["metatags"] for name in pair}
    for tag in tags.by_key.values():
        if tag.name_key in aliases or tag.type not in _WRANGLED_TYPES:
            continue
        popular = tag.type == TagType.FREEFORM and tags.uses.get(tag.name_key, 0) >= MIN_USES
        if popular or tag.name_key in pair_names:
            make_canonical(tag)

    return Wrangling(
        new_tags=new_media + list(created.values()),
        canonical=[tag.name for tag in sorted(canonical.values(), key=lambda tag: tag.pk)],
        parents=list(parents),
    )


def write_wrangling(wrangling: Wrangling, *, now: datetime.datetime) -> None:
    """Write the planned wrangling in bulk: the rows the wrangling actions would leave.

    Leaves no wrangling history (the seeded state is where the archive starts) and does not
    touch the filter table: the seeder rebuilds it once, afterwards.
    """
    created = Tag.objects.bulk_create(
        [
            Tag(
                name=name,
                name_key=tag_key(name),
                type=tag_type,
                canonical=True,
                # A canonical tag is shown to everyone (tags/audience.py).
                shown_to_guests=True,
                shown_to_users=True,
                created_at=now,
            )
            for name, tag_type in wrangling.new_tags
        ]
    )
    do_index_tag_words(created)  # as creating them through the actions does
    keys = [tag_key(name) for name in wrangling.canonical]
    for start in range(0, len(keys), 500):
        Tag.objects.filter(name_key__in=keys[start : start + 500]).update(
            canonical=True, shown_to_guests=True, shown_to_users=True
        )
    wanted = sorted({tag_key(name) for pair in wrangling.parents for name in pair})
    by_key: dict[str, Tag] = {}
    for start in range(0, len(wanted), 500):
        by_key |= {
            tag.name_key: tag
            for tag in Tag.objects.filter(name_key__in=wanted[start : start + 500])
        }
    links = [
        (by_key[tag_key(parent)], by_key[tag_key(child)]) for parent, child in wrangling.parents
    ]
    # As do_add_parent does: a fandom given a medium leaves the uncategorized bin.
    CommonTagging.objects.filter(
        parent__name_key=tag_key(UNCATEGORIZED_FANDOMS),
        child_id__in=[child.pk for parent, child in links if parent.type == TagType.MEDIA],
    ).delete()
    CommonTagging.objects.bulk_create(
        [CommonTagging(parent=parent, child=child) for parent, child in links], batch_size=500
    )
