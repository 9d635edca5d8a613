"""Reads for listings and searches: the engine's answer turned into a page of blurbs and a
sidebar, and the reader's blocklist and saved searches.

The engine returns ids; the works themselves are read through works.queries.visible_works, so
a listing can never show a work its viewer may not see, even if the index lagged.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, F, IntegerField, Q, QuerySet, Value
from django.http import Http404
from django.urls import Resolver404, resolve

from quire.accounts.queries import muted_users
from quire.lib.text import has_control_character
from quire.tags.audience import shown_tags
from quire.tags.models import Tag, TagType
from quire.tags.names import tag_key
from quire.works.models import Work
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
    """What `viewer` has asked never to see, in one query: the blocklist's entries and, in the
    same statement (UNION ALL), the users they muted, whose works are left out silently."""
    if not viewer.is_authenticated:
        return Blocklist()
    tags, literal, creators, works, muted = set(), set(), set(), set(), set()
    no_int, no_bool = Value(None, IntegerField()), Value(None, BooleanField())
    columns = ("b_tag", "b_canonical", "b_merger", "b_creator", "b_work", "b_muted")
    entries = (
        BlocklistEntry.objects.filter(owner=viewer)
        .order_by()
        .annotate(
            b_tag=F("tag_id"),
            b_canonical=F("tag__canonical"),
            b_merger=F("tag__merger_id"),
            b_creator=F("creator_id"),
            b_work=F("work_id"),
            b_muted=no_int,
        )
        .values_list(*columns)
    )
    mutes = (
        muted_users(viewer)
        .annotate(
            b_tag=no_int,
            b_canonical=no_bool,
            b_merger=no_int,
            b_creator=no_int,
            b_work=no_int,
            b_muted=F("muted_id"),
        )
        .values_list(*columns)
    )
    for tag_id, canonical, merger_id, creator_id, work_id, muted_id in entries.union(
        mutes, all=True
    ):
        if muted_id is not None:
            muted.add(muted_id)
        elif tag_id is not None:
            if canonical or merger_id:
                tags.add(merger_id or tag_id)
            else:
                literal.add(tag_id)
        elif creator_id is not None:
            creators.add(creator_id)
        else:
            works.add(work_id)
    return Blocklist(
        frozenset(tags),
        frozenset(literal),
        frozenset(creators),
        frozenset(works),
        muted_creator_ids=frozenset(muted),
    )


def blocked_works(viewer) -> QuerySet[Work]:
    """The works `viewer`'s blocklist hides, as a queryset to exclude (for lists the search
    engine doesn't build, such as bookmarks). The same rules as the engine's: tags through
    the filter table or, unwrangled, the works' own taggings; creators never on anonymous
    works; single works; and, silently, the works of users the viewer muted (never anonymous
    ones either)."""
    blocklist = blocklist_of(viewer)
    if not blocklist:
        return Work.objects.none()
    creators = blocklist.creator_ids | blocklist.muted_creator_ids
    return Work.objects.filter(
        Q(pk__in=blocklist.work_ids)
        | Q(filter_taggings__tag_id__in=blocklist.tag_ids)
        | Q(taggings__tag_id__in=blocklist.literal_tag_ids)
        | Q(anonymous=False, creatorships__pseud__user_id__in=creators)
    )


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
    blocklist = blocklist_of(viewer)
    if search.show_hidden:
        # Only what the "N works hidden" line counted comes back; mutes stay.
        blocklist = Blocklist(muted_creator_ids=blocklist.muted_creator_ids)
    result = get_engine().query(
        search.query, audience=audience(viewer), blocklist=blocklist, facets=facets
    )
    window = _Window(min(result.total, MAX_RESULTS), result.ids)
    page = Paginator(window, PER_PAGE, allow_empty_first_page=True).get_page(result.page)
    page.object_list = blurb_works(viewer, result.ids)
    groups = _facet_groups(viewer, result.facets, search, result.total) if facets else []
    return Listing(
        page=page, total=result.total, hidden=result.hidden, facets=groups, search=search
    )


def _facet_groups(viewer, found, search: ParsedSearch, total: int) -> list[FacetGroup]:
    if found is None:
        return []
    ticked = search.included | search.excluded
    counted = {tag_id for pairs in found.values() for tag_id, _ in pairs}
    # Counted tags are filter tags of listed works; a ticked id is whatever the URL says, so
    # only a tag the viewer may see comes back with its name (tags/audience.py).
    tags = shown_tags(viewer).in_bulk(counted | ticked)
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


# --- Blocklist and saved-search pages, and saved-search feeds ------------------------------

FEED_SIZE = 20


def access_blocklist_entry(owner, entry_id: int) -> BlocklistEntry:
    """One of `owner`'s blocklist entries, or 404 (someone else's looks missing)."""
    entry = BlocklistEntry.objects.filter(owner=owner, pk=entry_id).first()
    if entry is None:
        raise Http404("No such blocklist entry.")
    return entry


def access_saved_search(owner, saved_id: int) -> SavedSearch:
    """One of `owner`'s saved searches, or 404 (someone else's looks missing)."""
    saved = SavedSearch.objects.filter(owner=owner, pk=saved_id).first()
    if saved is None:
        raise Http404("No such saved search.")
    return saved


def access_saved_search_feed(saved_id: int, token: str) -> SavedSearch:
    """The saved search whose feed this is, when `token` is its feed token; else 404, the
    same for a wrong token as for a missing search."""
    saved = SavedSearch.objects.select_related("owner").filter(pk=saved_id).first()
    # As bytes: compare_digest refuses str with anything but ASCII in it (a TypeError).
    typed = (token or "").encode("utf-8", "surrogatepass")
    if saved is None or not secrets.compare_digest(saved.feed_token.encode(), typed):
        raise Http404("No such feed.")
    return saved


def works_index_scope(viewer, params) -> tuple[dict, dict]:
    """(scope, heading context) of /works from AO3's subject parameters: AO3's own tag and
    user pages submit their filters to /works?tag_id=<tag name> (or user_id=<login>, with
    pseud_id=<pseud name>), so those URLs must list the same works here. Unknown subjects
    raise Http404."""
    from quire.accounts.queries import access_user
    from quire.tags.queries import access_tag

    scope: dict = {}
    context: dict = {}
    subjects = [params.get(name) or "" for name in ("tag_id", "user_id", "pseud_id")]
    if any(has_control_character(subject) for subject in subjects):
        raise Http404("No such tag or user.")  # no name or login holds one
    tag_name = (params.get("tag_id") or "").strip()
    if tag_name:
        tag = access_tag(viewer, tag_name)
        tag = tag.merger or tag
        scope["tag_id" if tag.canonical else "literal_tag_id"] = tag.pk
        context["heading_tag"] = tag
    login = (params.get("user_id") or "").strip()
    if login:
        owner = access_user(login)
        pseud_name = (params.get("pseud_id") or "").strip()
        if pseud_name:
            pseud = owner.pseuds.filter(name__iexact=pseud_name).first()
            if pseud is None:
                raise Http404("No such pseud.")
            scope["pseud_id"], context["heading_by"] = pseud.pk, pseud.byline
        else:
            scope["creator_id"], context["heading_by"] = owner.pk, owner.username
        # Only the creator's own listing shows their anonymous works.
        scope["include_anonymous"] = viewer.is_authenticated and viewer.pk == owner.pk
        context["owner"] = owner
    return scope, context


def listing_scope(path: str, query_string: str = "") -> tuple[dict, bool] | None:
    """What a listing path narrows its works to, as the listing views set it, and whether
    it is the search page; None for a path that is not a listing. Used for feeds, which
    anyone holding the URL may read, so a creator's anonymous works are never included."""
    from quire.accounts.models import User
    from quire.tags.names import tag_from_url_part
    from quire.works.models import Language

    try:
        match = resolve(path)
    except Resolver404:
        return None
    name, kwargs = match.view_name, match.kwargs
    if name == "works:work-index":
        from django.contrib.auth.models import AnonymousUser
        from django.http import QueryDict

        try:
            scope, _ = works_index_scope(AnonymousUser(), QueryDict(query_string))
        except Http404:
            return None
        return scope, False
    if name == "search:work-search":
        return {}, True
    if name == "tags:tag-works":
        tag = Tag.objects.filter(name_key=tag_key(tag_from_url_part(kwargs["tag"]))).first()
        if tag is None or not (tag.canonical or tag.merger_id):
            return None
        return {"tag_id": tag.merger_id or tag.pk}, False
    if name in ("works:user-works", "works:pseud-works"):
        owner = User.objects.filter(username__iexact=kwargs["login"], is_active=True).first()
        if owner is None:
            return None
        if name == "works:user-works":
            return {"creator_id": owner.pk}, False
        pseud = owner.pseuds.filter(name__iexact=kwargs["pseud"]).first()
        return ({"pseud_id": pseud.pk}, False) if pseud is not None else None
    if name == "works:language-works":
        language = Language.objects.filter(code=kwargs["code"]).first()
        return ({"language_id": language.pk}, False) if language is not None else None
    return None


def saved_search_feed_works(saved: SavedSearch) -> list:
    """The 20 most recently updated works of a saved search, as a logged-out visitor would
    see them (a feed URL can leak, so never restricted works), after its owner's blocklist."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from .forms import parse_work_search, with_scope

    scope = listing_scope(saved.path, saved.query_string)
    if scope is None:
        return []
    narrowing, search_page = scope
    parsed = with_scope(
        parse_work_search(QueryDict(saved.query_string), search_page=search_page),
        **narrowing,
        include_anonymous=False,
        sort="revised_at",
        ascending=False,
        page=1,
    )
    result = get_engine().query(
        parsed.query, audience=PUBLIC, blocklist=blocklist_of(saved.owner), facets=False
    )
    return blurb_works(AnonymousUser(), result.ids[:FEED_SIZE])
