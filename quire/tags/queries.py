from collections.abc import Iterable

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, Collate, Concat, RowNumber
from django.http import Http404

from .audience import may_see_tag, shown_filter, shown_tags
from .fixed import UNCATEGORIZED_FANDOMS
from .models import AutocompleteWord, CommonTagging, FilterTagging, Tag, TagType, WranglingEvent
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


# --- Wrangling reads (tag wranglers and admins) ----------------------------------------------

# A tag no wrangler has decided about yet.
UNWRANGLED = Q(canonical=False, merger__isnull=True, unwrangleable=False)
WRANGLING_STATUSES = {
    "unwrangled": UNWRANGLED,
    "canonical": Q(canonical=True),
    "synonymous": Q(merger__isnull=False),
    "unwrangleable": Q(unwrangleable=True),
}
WRANGLED_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


def access_tag_for_wrangling(viewer, name: str) -> Tag:
    """The tag called `name`, for a wrangler; 404 alike for a missing tag and for anyone who
    may not wrangle."""
    from .permissions import can_wrangle

    tag = Tag.objects.select_related("merger").filter(name_key=tag_key(name)).first()
    if tag is None or not can_wrangle(viewer):
        raise Http404("No such tag.")
    return tag


def tag_relations(tag: Tag) -> dict[str, list[Tag]]:
    """Everything a tag's edit page lists about it, one query per kind."""
    return {
        "synonyms": list(tag.synonyms.order_by("name_key")),
        "parents": list(Tag.objects.filter(child_links__child=tag).order_by("type", "name_key")),
        "children": list(Tag.objects.filter(parent_links__parent=tag).order_by("type", "name_key")),
        "metatags": list(Tag.objects.filter(sub_links__sub=tag).order_by("name_key")),
        "subtags": list(Tag.objects.filter(meta_links__meta=tag).order_by("name_key")),
    }


def fandom_wrangling_rows(fandom: Tag, tag_type: str, status: str | None) -> QuerySet[Tag]:
    """The tags of `tag_type` used on works tagged with `fandom` or one of its synonyms, each
    with `uses` (how many of those works carry it), unwrangled first. One GROUP BY."""
    from quire.works.models import Tagging

    root_id = fandom.merger_id or fandom.pk
    family = Tag.objects.filter(Q(pk=root_id) | Q(merger_id=root_id)).values("pk")
    works = Tagging.objects.filter(tag__in=family).values("work_id")
    rows = Tag.objects.filter(type=tag_type, taggings__work_id__in=works)
    if status in WRANGLING_STATUSES:
        rows = rows.filter(WRANGLING_STATUSES[status])
    return (
        rows.annotate(
            uses=Count("taggings"),
            wrangled=Case(When(UNWRANGLED, then=Value(0)), default=Value(1)),
        )
        .select_related("merger")
        .order_by("wrangled", "-uses", "name_key")
    )


def fandoms_by_unwrangled():
    """Fandoms (as their canonical root's id) with how many distinct unwrangled characters,
    relationships and freeforms their works use, most first: rows of {root, unwrangled}."""
    from quire.works.models import Tagging

    return (
        Tagging.objects.filter(
            tag__type=TagType.FANDOM,
            work__taggings__tag__type__in=WRANGLED_TYPES,
            work__taggings__tag__canonical=False,
            work__taggings__tag__merger__isnull=True,
            work__taggings__tag__unwrangleable=False,
        )
        .annotate(root=Coalesce("tag__merger_id", "tag_id"))
        .values("root")
        .annotate(unwrangled=Count("work__taggings__tag", distinct=True))
        .order_by("-unwrangled", "root")
    )


def unsorted_tags() -> QuerySet[Tag]:
    """Tags waiting for a type, with how many works carry each, most used first."""
    return (
        Tag.objects.filter(type=TagType.UNSORTED)
        .annotate(uses=Count("taggings"))
        .order_by("-uses", "name_key")
    )


def wrangling_history(*, tag_name: str = "", wrangler: str = "") -> QuerySet[WranglingEvent]:
    """Wrangling events, newest first, narrowed to tags whose name contains `tag_name` and to
    the wrangler with login `wrangler`."""
    events = WranglingEvent.objects.select_related("tag", "actor")
    if tag_name:
        events = events.filter(tag__name_key__contains=tag_key(tag_name))
    if wrangler:
        events = events.filter(actor__username__iexact=wrangler)
    return events.order_by("-created_at", "-id")


def recent_wrangling(tag: Tag, limit: int = 20) -> list[WranglingEvent]:
    return list(WranglingEvent.objects.filter(tag=tag).select_related("actor")[:limit])


def with_parent_fandoms(tags: Iterable[Tag]) -> list[Tag]:
    """The tags as a list, each with `parent_fandoms` (its fandom parents), in one query."""
    tags = list(tags)
    by_child: dict[int, list[Tag]] = {tag.pk: [] for tag in tags}
    links = (
        CommonTagging.objects.filter(child__in=tags, parent__type=TagType.FANDOM)
        .select_related("parent")
        .order_by("parent__name_key")
    )
    for link in links:
        by_child[link.child_id].append(link.parent)
    for tag in tags:
        tag.parent_fandoms = by_child[tag.pk]
    return tags


# --- Tag pages, browsing and autocomplete (public) --------------------------------------------

# How many children of each type a tag page lists before "and more".
CHILD_LIST_LIMIT = 300
# The order of child groups on a tag page (a medium's fandoms first).
CHILD_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


def access_tag(viewer, name: str) -> Tag:
    """The tag called `name` (case-insensitively), with its merger; Http404 alike when there
    is none and when `viewer` may not see it (audience.py: used only by drafts, private
    bookmarks, hidden works, or restricted works for a guest)."""
    tag = Tag.objects.select_related("merger").filter(name_key=tag_key(name)).first()
    if tag is None or not may_see_tag(viewer, tag):
        raise Http404("No such tag.")
    return tag


def tag_listed_works(viewer, tag: Tag):
    """The works `viewer` may see listed under `tag`: a canonical tag's through the filter
    table (so its synonyms' and subtags' works too), any other tag's by its own taggings."""
    from quire.works.queries import visible_works

    if tag.canonical:
        return visible_works(viewer).filter(filter_taggings__tag=tag)
    return visible_works(viewer).filter(taggings__tag=tag)


def tag_page_relatives(viewer, tag: Tag) -> dict:
    """What a tag's page lists about it, one query per kind whatever their number: synonyms,
    parents, direct metatags and subtags, and children grouped by type (the first
    CHILD_LIST_LIMIT of each type, `more` telling whether there are others), each only the
    tags `viewer` may see. Only a canonical tag can have anything but parents, so the others
    cost one query."""
    shown = shown_tags(viewer)
    parents = list(shown.filter(child_links__child=tag).order_by("type", "name_key"))
    if not tag.canonical:
        return {"parents": parents, "synonyms": [], "metatags": [], "subtags": [], "children": []}
    children = (
        shown.filter(parent_links__parent=tag, type__in=CHILD_TYPES)
        .annotate(rank=Window(RowNumber(), partition_by=[F("type")], order_by=F("name_key").asc()))
        .filter(rank__lte=CHILD_LIST_LIMIT + 1)
        .order_by("type", "name_key")
    )
    by_type: dict[str, list[Tag]] = {}
    for child in children:
        by_type.setdefault(child.type, []).append(child)
    return {
        "synonyms": list(shown.filter(merger=tag).order_by("name_key")),
        "parents": parents,
        "metatags": list(shown.filter(sub_links__sub=tag).order_by("name_key")),
        "subtags": list(shown.filter(meta_links__meta=tag).order_by("name_key")),
        "children": [
            {
                "type": tag_type,
                "tags": by_type[tag_type][:CHILD_LIST_LIMIT],
                "more": len(by_type[tag_type]) > CHILD_LIST_LIMIT,
            }
            for tag_type in CHILD_TYPES
            if tag_type in by_type
        ],
    }


def filtered_work_counts(viewer, tags) -> dict[int, int]:
    """How many works `viewer` may see under each of these canonical tags (a queryset of
    tags or a list of ids), through the filter table: one GROUP BY, tags without visible
    works left out."""
    from quire.works.queries import visible_works

    if isinstance(tags, QuerySet):
        tags = tags.values("pk")
    rows = (
        FilterTagging.objects.filter(tag__in=tags, work__in=visible_works(viewer).values("pk"))
        .values("tag_id")
        .annotate(works=Count("work_id"))
        .order_by()
        .values_list("tag_id", "works")
    )
    return dict(rows)


def tagged_work_counts(viewer, tag_ids: list[int]) -> dict[int, int]:
    """How many works `viewer` may see tagged with each of these tags themselves."""
    from quire.works.models import Tagging
    from quire.works.queries import visible_works

    rows = (
        Tagging.objects.filter(tag_id__in=tag_ids, work__in=visible_works(viewer).values("pk"))
        .values("tag_id")
        .annotate(works=Count("work_id"))
        .order_by()
        .values_list("tag_id", "works")
    )
    return dict(rows)


def tag_work_counts(viewer, tags: list[Tag]) -> dict[int, int]:
    """Each tag's count as its page shows it: canonical tags through the filter table, the
    rest by their own taggings. At most two queries."""
    canonical = [tag.pk for tag in tags if tag.canonical]
    others = [tag.pk for tag in tags if not tag.canonical]
    counts = filtered_work_counts(viewer, canonical) if canonical else {}
    if others:
        counts.update(tagged_work_counts(viewer, others))
    return counts


def canonical_fandoms() -> QuerySet[Tag]:
    return Tag.objects.filter(type=TagType.FANDOM, canonical=True)


def media_with_top_fandoms(viewer, top: int) -> list[dict]:
    """Every medium with its number of canonical fandoms and the `top` fandoms with the most
    works `viewer` may see. Three queries however many media and fandoms."""
    media = sorted(
        Tag.objects.filter(type=TagType.MEDIA, canonical=True),
        key=lambda medium: (medium.name == UNCATEGORIZED_FANDOMS, medium.name_key),
    )
    fandoms = canonical_fandoms()
    counts = filtered_work_counts(viewer, fandoms)
    under: dict[int, list[Tag]] = {medium.pk: [] for medium in media}
    links = CommonTagging.objects.filter(
        parent__type=TagType.MEDIA, child__in=fandoms
    ).select_related("child")
    for link in links:
        fandom = link.child
        fandom.works_count = counts.get(fandom.pk, 0)
        under.setdefault(link.parent_id, []).append(fandom)
    return [
        {
            "medium": medium,
            "fandom_total": len(under[medium.pk]),
            "fandoms": sorted(under[medium.pk], key=lambda f: (-f.works_count, f.name_key))[:top],
        }
        for medium in media
    ]


def access_medium(viewer, name: str) -> Tag:
    medium = shown_tags(viewer).filter(name_key=tag_key(name), type=TagType.MEDIA).first()
    if medium is None:
        raise Http404("No such media.")
    return medium


def fandoms_with_counts(viewer, fandoms: QuerySet[Tag]) -> list[Tag]:
    """These fandoms alphabetically, each with `works_count` (the works `viewer` may see under
    it). Two queries."""
    counts = filtered_work_counts(viewer, fandoms)
    rows = list(fandoms.order_by("name_key"))
    for fandom in rows:
        fandom.works_count = counts.get(fandom.pk, 0)
    return rows


def search_tags(
    viewer, *, name: str = "", tag_type: str = "", canonical: bool | None = None
) -> QuerySet[Tag]:
    """Tags `viewer` may see whose name contains `name` (case-insensitively), of `tag_type`
    when given, canonical or not when `canonical` says, alphabetically."""
    tags = shown_tags(viewer).select_related("merger")
    if name:
        tags = tags.filter(name_key__contains=tag_key(name))
    if tag_type:
        tags = tags.filter(type=tag_type)
    if canonical is not None:
        tags = tags.filter(canonical=canonical)
    return tags.order_by("name_key", "pk")


# Autocomplete on the posting form. A suggestion is a tag of the asked type whose name starts
# with the term (prefix match) or has a later word starting with it (word match, through
# AutocompleteWord). Order: canonical prefix matches, other prefix matches, canonical word
# matches, other word matches; alphabetical by name within each. Every step is a range scan
# on an index, stopped at a limit, so the cost follows the limits, not the table.
#
# Characters and relationships can be narrowed to fandoms already typed: each name is
# resolved to its fandom tag, a synonym to its canonical; if any resolve, only tags whose
# parent (CommonTagging) is one of those canonical fandoms are suggested. Fandoms that
# resolve to nothing canonical narrow nothing, so a new fandom still gets suggestions.
AUTOCOMPLETE_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)
AUTOCOMPLETE_NARROWED_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP)
AUTOCOMPLETE_LIMIT = 15


def _binary(field: str):
    """`field` under a binary collation, where a range is exactly a prefix. SQLite's default
    is binary; PostgreSQL's may be a locale's, so ask for "C" (indexes: migration 0006)."""
    if connection.vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)


def _prefix_end(prefix: str) -> str | None:
    """The least string greater than every string starting with `prefix`, by code point."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates are not characters
        last = 0xE000
    if last > 0x10FFFF:
        return None
    return prefix[:-1] + chr(last)


def _in_range(rows, term: str):
    rows = rows.filter(key__gte=term)
    end = _prefix_end(term)
    return rows.filter(key__lt=end) if end is not None else rows


# Up to this many children, a narrowed lookup starts from the fandoms' children (looked up by
# id); past it, from the name range, checking each candidate's parents, which stops at the
# limit instead of reading every child of a fandom with tens of thousands.
NARROW_FROM_CHILDREN_MAX = 2000
# A word match considers the first this-many words (of any type) starting with the term, in
# code point order: a bounded scan however common the word. Only a term whose prefix matches
# leave room gets here, and a longer term narrows the range again.
WORD_CANDIDATES = 2000


class FandomNarrowing:
    """The canonical fandoms typed names stand for (a synonym for its canonical), and how
    to keep only their children in a query. Two queries."""

    def __init__(self, viewer, names: list[str]) -> None:
        self.child_ids: list[int] | None = None
        # Only names the viewer may see narrow: a private synonym must not show its canonical.
        self.fandom_ids = sorted(
            set(
                shown_tags(viewer)
                .filter(name_key__in=[tag_key(name) for name in names], type=TagType.FANDOM)
                .filter(Q(canonical=True) | Q(merger__isnull=False))
                .annotate(root=Coalesce("merger_id", "pk"))
                .values_list("root", flat=True)
            )
        )
        if self.fandom_ids:
            children = CommonTagging.objects.filter(parent_id__in=self.fandom_ids)
            ids = list(children.values_list("child_id", flat=True)[: NARROW_FROM_CHILDREN_MAX + 1])
            self.child_ids = ids if len(ids) <= NARROW_FROM_CHILDREN_MAX else None

    def __bool__(self) -> bool:
        return bool(self.fandom_ids)

    def keep(self, rows: QuerySet) -> QuerySet:
        """These tags narrowed to the fandoms' children."""
        if self.child_ids is not None:
            return rows.filter(pk__in=self.child_ids)
        links = CommonTagging.objects.filter(parent_id__in=self.fandom_ids)
        return rows.filter(Exists(links.filter(child_id=OuterRef("pk"))))


def autocomplete_tags(
    viewer, tag_type: str, term: str, *, fandoms: list[str] | None = None
) -> list[tuple[int, str]]:
    """Up to AUTOCOMPLETE_LIMIT (id, name) suggestions for `term` among the tags `viewer` may
    see, in the order above. `fandoms` (typed names) narrows characters and relationships.
    At most five queries."""
    term = tag_key(" ".join(term.split()))
    if not term:
        return []
    # One indexed flag (migration 0007 indexes it between canonical and the name, so each
    # step stays one range scan); every canonical tag is shown, so it narrows only the rest.
    shown = shown_filter(viewer) or {}
    narrowing = None
    if fandoms and tag_type in AUTOCOMPLETE_NARROWED_TYPES:
        narrowing = FandomNarrowing(viewer, fandoms) or None
    found: dict[int, str] = {}
    for canonical in (True, False):
        need = AUTOCOMPLETE_LIMIT - len(found)
        if need <= 0:
            return list(found.items())
        # canonical__in, not canonical=: Django writes `WHERE canonical` for True, which
        # SQLite can't match to the index's canonical column.
        tags = Tag.objects.alias(key=_binary("name_key")).filter(
            type=tag_type, canonical__in=[canonical], **({} if canonical else shown)
        )
        if narrowing:
            tags = narrowing.keep(tags)
        found.update(_in_range(tags, term).order_by("key").values_list("pk", "name")[:need])
    need = AUTOCOMPLETE_LIMIT - len(found)
    if need <= 0:
        return list(found.items())
    # The candidates are an index-only range scan; the LIMIT also keeps the database from
    # starting anywhere else (a subquery with a LIMIT is not flattened into the join).
    candidates = _in_range(AutocompleteWord.objects.alias(key=_binary("tail")), term)
    candidates = candidates.order_by("key", "tag_id").values("tag_id")[:WORD_CANDIDATES]
    # The type is compared through an expression so that no index on it tempts the database
    # to scan every tag of the type instead of looking up the candidates.
    tags = Tag.objects.alias(key=_binary("name_key"), kind=Concat("type", Value(""))).filter(
        kind=tag_type, pk__in=candidates, **shown
    )
    if narrowing:
        tags = narrowing.keep(tags)
    # A tag matching by prefix can match by a word too: ask for enough to skip those.
    rows = tags.order_by("-canonical", "key").values_list("pk", "name")[: need + len(found)]
    for tag_id, name in rows:
        if len(found) >= AUTOCOMPLETE_LIMIT:
            break
        found.setdefault(tag_id, name)
    return list(found.items())
