from collections.abc import Iterable

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import CommonTagging, Tag, TagType, WranglingEvent
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
