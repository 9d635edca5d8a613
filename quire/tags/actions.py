"""Writes for tags: finding or creating them while posting, and every wrangling change.

Each wrangling action validates the rules of AO3.md §2 and raises WranglingError with a
message a wrangler can act on; on success it records a WranglingEvent and schedules the
filter rebuild of the works it can affect, all in one transaction.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction

from quire.lib.tasks import enqueue_on_commit
from quire.works.versions import do_bump_work_versions

from .audience import refresh_tag_audience
from .filters import meta_ancestors, meta_descendants
from .fixed import UNCATEGORIZED_FANDOMS
from .models import (
    AutocompleteWord,
    CommonTagging,
    MetaTagging,
    PendingFilterRebuild,
    Tag,
    TagType,
    WranglingEvent,
)
from .names import tag_key
from .queries import tag_by_name, tags_by_names
from .tasks import rebuild_pending_filters

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
    cache = _tag_cache.get()
    if cache is None:
        existing = tags_by_names(names)
    else:
        missing = [name for name in names if tag_key(name) not in cache]
        if missing:
            cache.update(tags_by_names(missing))
        existing = cache
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


# name_key -> Tag, while a cached_tag_lookups() block runs (None outside one).
_tag_cache: ContextVar[dict[str, Tag] | None] = ContextVar("tag_cache", default=None)


@contextmanager
def cached_tag_lookups() -> Iterator[None]:
    """Remember the tags found or created by do_find_or_create_tags for the block's length:
    an import of many works names the same fandoms and characters again and again.

    Only ids are used from the tags it returns (a wrangling change meanwhile is read by the
    filter rebuild from the tables, not from these objects). A caller that rolls back a
    savepoint inside the block must call forget_cached_tags(): tags created in it are gone.
    """
    token = _tag_cache.set({})
    try:
        yield
    finally:
        _tag_cache.reset(token)


def forget_cached_tags() -> None:
    cache = _tag_cache.get()
    if cache is not None:
        cache.clear()


def _find_or_create(name: str, tag_type: TagType) -> Tag:
    cache = _tag_cache.get()
    key = tag_key(name)
    if cache is not None and key in cache:
        return cache[key]
    tag = _find_or_create_uncached(name, tag_type)
    if cache is not None:
        cache[key] = tag
    return tag


def _find_or_create_uncached(name: str, tag_type: TagType) -> Tag:
    tag = tag_by_name(name)
    if tag is not None:
        return tag
    try:
        # A savepoint, so losing a race with another poster does not spoil the outer transaction.
        with transaction.atomic():
            tag = Tag.objects.create(name=name, name_key=tag_key(name), type=tag_type)
            do_index_tag_words([tag])
            if tag_type == TagType.FANDOM:
                # New fandoms wait under this medium until a wrangler sorts them.
                uncategorized = Tag.objects.filter(name_key=tag_key(UNCATEGORIZED_FANDOMS)).first()
                if uncategorized is not None:
                    CommonTagging.objects.create(parent=uncategorized, child=tag)
            return tag
    except IntegrityError:
        return Tag.objects.get(name_key=tag_key(name))


# --- Wrangling -------------------------------------------------------------------------------

# Which types may be the parent of which (AO3.md §2). The parent must be canonical.
PARENT_TYPES: dict[str, set[TagType]] = {
    TagType.FANDOM: {TagType.MEDIA},
    TagType.CHARACTER: {TagType.FANDOM},
    TagType.RELATIONSHIP: {TagType.FANDOM, TagType.CHARACTER},
    TagType.FREEFORM: {TagType.FANDOM},
}
WRANGLEABLE_TYPES = {TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM}


class WranglingError(ValueError):
    """A wrangling change that would break a rule; the message says which."""


def _check_wrangleable(tag: Tag) -> None:
    if tag.type not in WRANGLEABLE_TYPES and tag.type != TagType.MEDIA:
        raise WranglingError(f"{tag.name} is one of the archive's fixed tags and can't be changed.")


def schedule_rebuild(tag_ids) -> None:
    """Record that these tags' works need new filters and wake the background rebuild.

    Call inside the wrangling action's transaction: the pending rows commit with the change,
    so a crash loses nothing. The task is enqueued once the change has committed, so a worker
    never starts before the rows it is to read exist (with a queue outside the database, it
    could otherwise find none and stop). It lives here, not in filters.py, because the task
    module imports filters.py (the job it runs): filters.py importing the task back was a cycle.
    """
    PendingFilterRebuild.objects.bulk_create(
        [PendingFilterRebuild(tag_id=tag_id) for tag_id in sorted(set(tag_ids))]
    )
    enqueue_on_commit(rebuild_pending_filters)


def _log(tag: Tag, action: str, detail: str, by) -> None:
    WranglingEvent.objects.create(tag=tag, actor=by, action=action, detail=detail[:500])


def do_set_canonical(tag: Tag, canonical: bool, *, by=None) -> Tag:
    """Make a tag canonical (filterable) or take that back.

    A synonym must be freed before it can be canonical; a canonical tag with synonyms,
    metatags, subtags or children keeps its status until those are moved.
    """
    _check_wrangleable(tag)
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag.pk)
        if tag.canonical == canonical:
            return tag
        if canonical and tag.merger is not None:
            raise WranglingError(
                f"{tag.name} is a synonym of {tag.merger.name}; remove that before making it "
                "canonical."
            )
        if canonical and tag.unwrangleable:
            raise WranglingError(f"{tag.name} is marked unwrangleable, so it can't be canonical.")
        if not canonical:
            if tag.synonyms.exists():
                raise WranglingError(
                    f"{tag.name} has synonyms; make them point elsewhere before it stops being "
                    "canonical."
                )
            if (
                MetaTagging.objects.filter(meta=tag).exists()
                or MetaTagging.objects.filter(sub=tag).exists()
            ):
                raise WranglingError(
                    f"{tag.name} has metatags or subtags; remove them before it stops being "
                    "canonical."
                )
            if CommonTagging.objects.filter(parent=tag).exists():
                raise WranglingError(
                    f"{tag.name} is the parent of other tags; move them before it stops being "
                    "canonical."
                )
        tag.canonical = canonical
        tag.save(update_fields=["canonical"])
        _log(tag, "canonical" if canonical else "not canonical", "", by)
        schedule_rebuild([tag.pk])
        # A canonical tag is shown to everyone; one no longer canonical only where used.
        refresh_tag_audience([tag.pk])
        tag.refresh_from_db(fields=["shown_to_guests", "shown_to_users"])
    return tag


def do_make_synonym(tag: Tag, target: Tag, *, by=None) -> Tag:
    """Make `tag` a synonym of the canonical `target` (same type).

    Its parents, children, metatags and subtags move to the target, and its own synonyms are
    re-pointed there; a canonical tag stops being canonical.
    """
    _check_wrangleable(tag)
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag.pk)
        target = Tag.objects.select_for_update().get(pk=target.pk)
        if tag.pk == target.pk:
            raise WranglingError("A tag can't be a synonym of itself.")
        if tag.type != target.type:
            raise WranglingError(
                f"{target.name} is a {target.get_type_display()} tag; a synonym must be of the "
                f"same type as {tag.name} ({tag.get_type_display()})."
            )
        if not target.canonical:
            raise WranglingError(f"{target.name} is not canonical, so it can't have synonyms.")
        metas = meta_ancestors([target.pk])[target.pk]
        subs = meta_descendants([tag.pk]) - {tag.pk}
        if tag.pk in metas or target.pk in subs:
            # Moving the hierarchy would make the target its own metatag.
            raise WranglingError(
                f"{tag.name} and {target.name} are in each other's metatag hierarchy; remove "
                "that link first."
            )
        # Re-point the tag's own synonyms, then move every association to the target.
        moved_synonyms = list(tag.synonyms.values_list("pk", flat=True))
        Tag.objects.filter(merger=tag).update(merger=target)
        for link in CommonTagging.objects.filter(child=tag):
            CommonTagging.objects.get_or_create(parent_id=link.parent_id, child=target)
        for link in CommonTagging.objects.filter(parent=tag):
            CommonTagging.objects.get_or_create(parent=target, child_id=link.child_id)
        CommonTagging.objects.filter(child=tag).delete()
        CommonTagging.objects.filter(parent=tag).delete()
        for meta_link in MetaTagging.objects.filter(sub=tag).exclude(meta=target):
            MetaTagging.objects.get_or_create(meta_id=meta_link.meta_id, sub=target)
        for meta_link in MetaTagging.objects.filter(meta=tag).exclude(sub=target):
            MetaTagging.objects.get_or_create(meta=target, sub_id=meta_link.sub_id)
        MetaTagging.objects.filter(sub=tag).delete()
        MetaTagging.objects.filter(meta=tag).delete()
        tag.merger = target
        tag.canonical = False
        tag.save(update_fields=["merger", "canonical"])
        detail = f"synonym of {target.name}"
        if moved_synonyms:
            detail += f"; {len(moved_synonyms)} synonym(s) re-pointed"
        _log(tag, "synonym", detail, by)
        schedule_rebuild([tag.pk, target.pk, *moved_synonyms])
        refresh_tag_audience([tag.pk])  # it may have stopped being canonical
    return tag


def do_remove_synonym(tag: Tag, *, by=None) -> Tag:
    """Free a synonym: its works are no longer listed under the former canonical tag."""
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag.pk)
        former = tag.merger
        if former is None:
            return tag
        tag.merger = None
        tag.save(update_fields=["merger"])
        _log(tag, "not synonym", f"was a synonym of {former.name}", by)
        schedule_rebuild([tag.pk, former.pk])
    return tag


def do_add_parent(child: Tag, parent: Tag, *, by=None) -> CommonTagging:
    """Associate a child with a canonical parent of an allowed type. Organising only."""
    allowed = PARENT_TYPES.get(child.type, set())
    if parent.type not in allowed:
        raise WranglingError(
            f"A {child.get_type_display()} tag can't have a {parent.get_type_display()} parent."
        )
    if not parent.canonical:
        raise WranglingError(f"{parent.name} is not canonical, so it can't be a parent.")
    with transaction.atomic():
        link, created = CommonTagging.objects.get_or_create(parent=parent, child=child)
        if created:
            if parent.type == TagType.MEDIA:
                # A sorted fandom leaves the "Uncategorized Fandoms" bin.
                CommonTagging.objects.filter(
                    child=child, parent__name_key=tag_key(UNCATEGORIZED_FANDOMS)
                ).exclude(parent=parent).delete()
            _log(child, "parent added", parent.name, by)
    return link


def do_remove_parent(child: Tag, parent: Tag, *, by=None) -> None:
    with transaction.atomic():
        deleted, _ = CommonTagging.objects.filter(parent=parent, child=child).delete()
        if deleted:
            _log(child, "parent removed", parent.name, by)


def do_add_metatag(sub: Tag, meta: Tag, *, by=None) -> MetaTagging:
    """Make `meta` a metatag of `sub`: both canonical, same type, no cycle."""
    if sub.pk == meta.pk:
        raise WranglingError("A tag can't be its own metatag.")
    if sub.type != meta.type:
        raise WranglingError(
            f"{meta.name} is a {meta.get_type_display()} tag; a metatag must be of the same type "
            f"as {sub.name}."
        )
    if not (sub.canonical and meta.canonical):
        raise WranglingError("Metatags and subtags must both be canonical.")
    with transaction.atomic():
        if sub.pk in meta_ancestors([meta.pk])[meta.pk]:
            raise WranglingError(
                f"{meta.name} is already below {sub.name}; that would make a loop."
            )
        link, created = MetaTagging.objects.get_or_create(meta=meta, sub=sub)
        if created:
            _log(sub, "metatag added", meta.name, by)
            schedule_rebuild([sub.pk])
    return link


def do_remove_metatag(sub: Tag, meta: Tag, *, by=None) -> None:
    with transaction.atomic():
        deleted, _ = MetaTagging.objects.filter(meta=meta, sub=sub).delete()
        if deleted:
            _log(sub, "metatag removed", meta.name, by)
            schedule_rebuild([sub.pk])


def do_set_unwrangleable(tag: Tag, unwrangleable: bool, *, by=None) -> Tag:
    """Mark a tag that can't be wrangled (too vague to be canonical or a synonym)."""
    _check_wrangleable(tag)
    if unwrangleable and (tag.canonical or tag.merger_id):
        raise WranglingError(
            f"{tag.name} is canonical or a synonym; only unwrangled tags can be unwrangleable."
        )
    with transaction.atomic():
        tag.unwrangleable = unwrangleable
        tag.save(update_fields=["unwrangleable"])
        _log(tag, "unwrangleable" if unwrangleable else "wrangleable", "", by)
    return tag


def do_set_type(tag: Tag, tag_type: TagType, *, by=None) -> Tag:
    """Give an unsorted (or still unwrangled) tag its type."""
    if tag_type not in WRANGLEABLE_TYPES:
        raise WranglingError("Pick fandom, character, relationship or additional tag.")
    if tag.canonical or tag.merger_id or tag.synonyms.exists():
        raise WranglingError(f"{tag.name} is already wrangled; its type can't change now.")
    if tag.type not in WRANGLEABLE_TYPES | {TagType.UNSORTED}:
        raise WranglingError(f"{tag.name} is one of the archive's fixed tags.")
    with transaction.atomic():
        if tag.type == tag_type:
            return tag
        former = tag.get_type_display()
        CommonTagging.objects.filter(child=tag).delete()
        tag.type = tag_type
        tag.save(update_fields=["type"])
        _log(tag, "type", f"{former} -> {tag.get_type_display()}", by)
        # A work page groups its tags by type.
        do_bump_work_versions(tag.taggings.values_list("work_id", flat=True))
        schedule_rebuild([tag.pk])
    return tag


# --- Autocomplete words ----------------------------------------------------------------------

_WORD_START = re.compile(r"(?<!\w)\w")


def tag_name_tails(name_key: str) -> set[str]:
    """The name from each word's start after the first to the end: "sherlock holmes/john
    watson" -> {"holmes/john watson", "john watson", "watson"}."""
    return {name_key[m.start() :] for m in _WORD_START.finditer(name_key) if m.start() > 0}


def do_index_tag_words(tags: list[Tag]) -> None:
    """(Re)write the AutocompleteWord rows of these tags from their current names: the one
    writer of that table. Call it wherever tags are created or renamed."""
    tag_ids = [tag.pk for tag in tags]
    AutocompleteWord.objects.filter(tag_id__in=tag_ids).delete()
    AutocompleteWord.objects.bulk_create(
        [
            AutocompleteWord(tag_id=tag.pk, tail=tail)
            for tag in tags
            for tail in sorted(tag_name_tails(tag_key(tag.name)))
        ],
        batch_size=1000,
    )
