"""Reads for listings and searches: the engine's answer turned into a page of blurbs and a
sidebar, and the reader's blocklist and saved searches.

The engine returns ids; the works themselves are read through works.queries.visible_works, so
a listing can never show a work its viewer may not see, even if the index lagged.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator

from quire.tags.models import Tag, TagType
from quire.works.queries import blurb_works

from .engines import MAX_RESULTS, PER_PAGE, PUBLIC, REGISTERED, Blocklist, get_engine
from .forms import ID_PARAMS, ParsedSearch
from .models import BlocklistEntry, SavedSearch

FACET_HEADINGS = {
    TagType.RATING: "Ratings",
    TagType.WARNING: "Warnings",
    TagType.CATEGORY: "Categories",
    TagType.FANDOM: "Fandoms",
    TagType.CHARACTER: "Characters",
    TagType.RELATIONSHIP: "Relationships",
    TagType.FREEFORM: "Additional Tags",
}


def audience(viewer) -> str:
    """The visibility class a viewer's listings are counted for (cached facets are per class)."""
    return REGISTERED if viewer.is_authenticated else PUBLIC


def blocklist_of(viewer) -> Blocklist:
    """What `viewer` has asked never to see, in one query."""
    if not viewer.is_authenticated:
        return Blocklist()
    tags, literal, creators, works = set(), set(), set(), set()
    for tag_id, canonical, merger_id, creator_id, work_id in BlocklistEntry.objects.filter(
        owner=viewer
    ).values_list("tag_id", "tag__canonical", "tag__merger_id", "creator_id", "work_id"):
        if tag_id is not None:
            if canonical or merger_id:
                tags.add(merger_id or tag_id)
            else:
                literal.add(tag_id)
        elif creator_id is not None:
            creators.add(creator_id)
        else:
            works.add(work_id)
    return Blocklist(frozenset(tags), frozenset(literal), frozenset(creators), frozenset(works))


def blocklist_entries(owner):
    return BlocklistEntry.objects.filter(owner=owner).select_related("tag", "creator", "work")


def saved_searches(owner):
    return SavedSearch.objects.filter(owner=owner)


class _Window(Sequence):
    """Stands for the whole result list in a Paginator, holding only the requested page."""

    def __init__(self, length: int, ids: list[int]) -> None:
        self.length, self.ids = length, ids

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        return self.ids


@dataclass
class FacetTag:
    tag: Tag
    count: int
    included: bool
    excluded: bool


@dataclass
class FacetGroup:
    tag_type: str
    param: str
    heading: str
    tags: list[FacetTag] = field(default_factory=list)


@dataclass
class Listing:
    page: Page
    total: int
    hidden: int
    facets: list[FacetGroup]
    search: ParsedSearch

    @property
    def capped(self) -> bool:
        return self.total > MAX_RESULTS


def search_works(viewer, search: ParsedSearch, *, facets: bool = True) -> Listing:
    """One page of a listing as `viewer` may see it, with the sidebar's facet counts, after
    the viewer's blocklist (unless they asked to see the hidden works this once)."""
    blocklist = Blocklist() if search.show_hidden else blocklist_of(viewer)
    result = get_engine().query(
        search.query, audience=audience(viewer), blocklist=blocklist, facets=facets
    )
    window = _Window(min(result.total, MAX_RESULTS), result.ids)
    page = Paginator(window, PER_PAGE, allow_empty_first_page=True).get_page(result.page)
    page.object_list = blurb_works(viewer, result.ids)
    groups = _facet_groups(result.facets, search, result.total) if facets else []
    return Listing(
        page=page, total=result.total, hidden=result.hidden, facets=groups, search=search
    )


def _facet_groups(found, search: ParsedSearch, total: int) -> list[FacetGroup]:
    if found is None:
        return []
    ticked = search.included | search.excluded
    counted = {tag_id for pairs in found.values() for tag_id, _ in pairs}
    tags = Tag.objects.in_bulk(counted | ticked)
    groups = []
    for tag_type, param in ID_PARAMS.items():
        group = FacetGroup(str(tag_type), param, FACET_HEADINGS[tag_type])
        listed = set()
        for tag_id, count in found.get(str(tag_type), []):
            if tag_id in tags:
                listed.add(tag_id)
                group.tags.append(
                    FacetTag(
                        tags[tag_id], count, tag_id in search.included, tag_id in search.excluded
                    )
                )
        # A ticked tag stays in the sidebar so it can be unticked: every work found has an
        # included one, none an excluded one.
        for tag_id in sorted(ticked - listed):
            tag = tags.get(tag_id)
            if tag is not None and tag.type == tag_type:
                included = tag_id in search.included
                group.tags.append(
                    FacetTag(tag, total if included else 0, included, tag_id in search.excluded)
                )
        groups.append(group)
    return groups
