"""The filter table (AO3.md §2): each work's filter set, and its ONE writer, rebuild_filters.

A work's filter set is its canonical tags, the canonical targets of its synonyms, and every
metatag above those, transitively. Listings and facet counts read FilterTagging; nothing but
rebuild_filters writes it. Wrangling actions call schedule_rebuild, which records the tags
whose works need a rebuild (in the action's transaction) and enqueues the background task.
"""

from collections.abc import Iterable, Iterator
from itertools import combinations

from django.db import transaction

from .models import FilterTagging, MetaTagging, PendingFilterRebuild, Tag, TagType

BATCH_SIZE = 1000


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def meta_ancestors(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """Every metatag above each tag, transitively (the tag itself not included)."""
    parents: dict[int, set[int]] = {}
    frontier = set(tag_ids)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        next_frontier: set[int] = set()
        for chunk in _chunks(sorted(frontier), 900):
            for sub_id, meta_id in MetaTagging.objects.filter(sub_id__in=chunk).values_list(
                "sub_id", "meta_id"
            ):
                parents.setdefault(sub_id, set()).add(meta_id)
                if meta_id not in seen:
                    next_frontier.add(meta_id)
        frontier = next_frontier

    result: dict[int, set[int]] = {}

    def climb(tag_id: int) -> set[int]:
        # Iterative, and safe even if a cycle slipped in: actions refuse them, but a
        # corrupt hierarchy must not hang a rebuild.
        found: set[int] = set()
        stack = list(parents.get(tag_id, ()))
        while stack:
            meta_id = stack.pop()
            if meta_id in found or meta_id == tag_id:
                continue
            found.add(meta_id)
            stack.extend(parents.get(meta_id, ()))
        return found

    for tag_id in tag_ids:
        if tag_id not in result:
            result[tag_id] = climb(tag_id)
    return result


def meta_descendants(tag_ids: Iterable[int]) -> set[int]:
    """The tags and every subtag below them, transitively."""
    found = set(tag_ids)
    frontier = set(found)
    while frontier:
        next_frontier: set[int] = set()
        for chunk in _chunks(sorted(frontier), 900):
            next_frontier |= set(
                MetaTagging.objects.filter(meta_id__in=chunk).values_list("sub_id", flat=True)
            )
        frontier = next_frontier - found
        found |= frontier
    return found


class WorkFilters:
    """One work's computed filter set and flags."""

    __slots__ = ("crossover", "otp", "tags")

    def __init__(self) -> None:
        self.tags: dict[int, bool] = {}  # tag id -> inherited
        self.crossover = False
        self.otp = False


def compute_filters(work_ids: list[int]) -> dict[int, WorkFilters]:
    """The filter sets of these works, from their taggings and the current taxonomy."""
    from quire.works.models import Tagging

    rows = Tagging.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag_id", "tag__canonical", "tag__merger_id", "tag__type"
    )
    direct: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    fandoms: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    relationships: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    for work_id, tag_id, canonical, merger_id, tag_type in rows:
        # A synonym's merger is canonical by rule; an unwrangled tag filters as nothing but
        # still counts as itself for crossover and OTP (AO3 treats it as its own fandom).
        root = merger_id or tag_id
        if canonical or merger_id:
            direct[work_id].add(root)
        if tag_type == TagType.FANDOM:
            fandoms[work_id].add(root)
        elif tag_type == TagType.RELATIONSHIP:
            relationships[work_id].add(root)
    ancestors = meta_ancestors({tag for tags in direct.values() for tag in tags})
    fandom_ancestors = meta_ancestors({tag for tags in fandoms.values() for tag in tags})
    result: dict[int, WorkFilters] = {}
    for work_id in work_ids:
        filters = WorkFilters()
        for tag_id in direct[work_id]:
            filters.tags[tag_id] = False
        for tag_id in direct[work_id]:
            for meta_id in ancestors.get(tag_id, ()):
                filters.tags.setdefault(meta_id, True)
        filters.crossover = is_crossover(fandoms[work_id], fandom_ancestors)
        filters.otp = len(relationships[work_id]) == 1
        result[work_id] = filters
    return result


def is_crossover(fandom_ids: set[int], ancestors: dict[int, set[int]]) -> bool:
    """More than one fandom, and some two of them share no metatag ancestry (AO3.md §2)."""
    families = [{fandom} | ancestors.get(fandom, set()) for fandom in fandom_ids]
    return any(not (a & b) for a, b in combinations(families, 2))


def rebuild_filters(work_ids: Iterable[int]) -> int:
    """Make FilterTagging and the crossover/OTP flags of these works match the taxonomy.

    The only writer of the filter table. Idempotent; works in batches, each its own
    transaction (inside an outer transaction, savepoints), so a huge rebuild holds no long
    lock. Returns how many works it looked at.
    """
    from quire.works.models import Work

    ids = sorted(set(work_ids))
    for batch in _chunks(ids, BATCH_SIZE):
        with transaction.atomic():
            wanted = compute_filters(batch)
            existing: dict[tuple[int, int], tuple[int, bool]] = {
                (work_id, tag_id): (pk, inherited)
                for pk, work_id, tag_id, inherited in FilterTagging.objects.filter(
                    work_id__in=batch
                ).values_list("pk", "work_id", "tag_id", "inherited")
            }
            stale = [
                pk
                for (work_id, tag_id), (pk, inherited) in existing.items()
                if wanted[work_id].tags.get(tag_id) != inherited
            ]
            fresh = [
                FilterTagging(work_id=work_id, tag_id=tag_id, inherited=inherited)
                for work_id, filters in wanted.items()
                for tag_id, inherited in filters.tags.items()
                if existing.get((work_id, tag_id), (None, None))[1] != inherited
            ]
            for chunk in _chunks(stale, 900):
                FilterTagging.objects.filter(pk__in=chunk).delete()
            FilterTagging.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
            changed = [
                Work(pk=work_id, crossover=flags.crossover, otp=flags.otp)
                for work_id, flags in _flag_changes(wanted)
            ]
            if changed:
                Work.objects.bulk_update(changed, ["crossover", "otp"], batch_size=BATCH_SIZE)
    return len(ids)


def _flag_changes(wanted: dict[int, WorkFilters]):
    from quire.works.models import Work

    current = Work.objects.filter(pk__in=list(wanted)).values_list("pk", "crossover", "otp")
    for work_id, crossover, otp in current:
        flags = wanted[work_id]
        if (flags.crossover, flags.otp) != (crossover, otp):
            yield work_id, flags


def works_for_tags(tag_ids: Iterable[int]) -> set[int]:
    """Works whose filter sets can depend on these tags: tagged with them, their synonyms or
    any subtag below them (or those subtags' synonyms)."""
    from quire.works.models import Tagging

    family = meta_descendants(tag_ids)
    family |= set(Tag.objects.filter(merger_id__in=family).values_list("pk", flat=True))
    works: set[int] = set()
    for chunk in _chunks(sorted(family), 900):
        works |= set(
            Tagging.objects.filter(tag_id__in=chunk).values_list("work_id", flat=True).distinct()
        )
    return works


def schedule_rebuild(tag_ids: Iterable[int]) -> None:
    """Record that these tags' works need new filters and wake the background rebuild.

    Call inside the wrangling action's transaction: the pending rows commit with the change
    (and with the database task backend, so does the task), so a crash loses nothing.
    """
    from .tasks import rebuild_pending_filters

    PendingFilterRebuild.objects.bulk_create(
        [PendingFilterRebuild(tag_id=tag_id) for tag_id in sorted(set(tag_ids))]
    )
    rebuild_pending_filters.enqueue()


def rebuild_pending() -> int:
    """Rebuild the works of every pending tag, then forget those rows. Returns works rebuilt."""
    pending = list(PendingFilterRebuild.objects.values_list("pk", "tag_id"))
    if not pending:
        return 0
    work_ids = works_for_tags({tag_id for _, tag_id in pending})
    rebuild_filters(work_ids)
    PendingFilterRebuild.objects.filter(pk__in=[pk for pk, _ in pending]).delete()
    return len(work_ids)
