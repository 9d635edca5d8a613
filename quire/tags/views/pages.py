"""Public tag pages: a tag, its works, the media and fandom indexes, tag search, and the
posting form's autocomplete. Every count and listing starts from visible_works(viewer)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from quire.lib.text import has_control_character
from quire.search.forms import parse_work_search, with_scope
from quire.search.queries import search_works
from quire.search.views import render_listing

from ..models import TAG_NAME_MAX, TagType
from ..names import split_tag_names, tag_from_url_part, tag_to_url_part
from ..permissions import can_wrangle
from ..queries import (
    AUTOCOMPLETE_TYPES,
    CHILD_LIST_LIMIT,
    access_medium,
    access_tag,
    autocomplete_tags,
    canonical_fandoms,
    fandoms_with_counts,
    media_with_top_fandoms,
    search_tags,
    tag_listed_works,
    tag_page_relatives,
    tag_work_counts,
)

MEDIA_TOP_FANDOMS = 5
TAGS_PER_PAGE = 50
# A work has at most 75 user tags, so no form can type more fandoms than that.
MAX_NARROWING_FANDOMS = 75


def _with_query(request: HttpRequest, path: str) -> str:
    query = request.GET.urlencode()
    return f"{path}?{query}" if query else path


# type -> (css class, heading) of a tag page's child groups, as AO3 marks them up.
CHILD_GROUPS = {
    TagType.FANDOM: ("fandoms", "Fandoms:"),
    TagType.CHARACTER: ("characters", "Characters:"),
    TagType.RELATIONSHIP: ("relationships", "Relationships:"),
    TagType.FREEFORM: ("freeforms", "Additional Tags:"),
}


def tag_show(request: HttpRequest, tag: str) -> HttpResponse:
    row = access_tag(request.user, tag_from_url_part(tag))
    relatives = tag_page_relatives(request.user, row)
    for group in relatives["children"]:
        group["css"], group["label"] = CHILD_GROUPS[group["type"]]
    context = {
        "tag": row,
        "child_limit": CHILD_LIST_LIMIT,
        "can_wrangle": can_wrangle(request.user),
        **relatives,
    }
    if not row.canonical and row.merger_id is None:
        # A tag that can't be filtered on lists its works here (AO3.md §8), through the
        # search engine like every listing, so the reader's blocklist applies.
        search = with_scope(parse_work_search(request.GET), literal_tag_id=row.pk)
        listing = search_works(request.user, search, facets=False)
        context["page"], context["works_count"] = listing.page, listing.total
        context["errors"] = search.errors
    else:
        context["works_count"] = tag_listed_works(request.user, row).count()
    return render(request, "tags/tag_show.html", context)


def tag_works(request: HttpRequest, tag: str) -> HttpResponse:
    row = access_tag(request.user, tag_from_url_part(tag))
    if row.merger is not None:
        target = reverse("tags:tag-works", args=[tag_to_url_part(row.merger.name)])
        return redirect(_with_query(request, target))
    if not row.canonical:
        target = reverse("tags:tag-show", args=[tag_to_url_part(row.name)])
        return redirect(_with_query(request, target))
    return render_listing(request, scope={"tag_id": row.pk}, context={"heading_tag": row})


def media_index(request: HttpRequest) -> HttpResponse:
    listing = media_with_top_fandoms(request.user, MEDIA_TOP_FANDOMS)
    for entry in listing:
        entry["url"] = reverse("tags:medium-fandoms", args=[tag_to_url_part(entry["medium"].name)])
    return render(request, "tags/media_index.html", {"listing": listing})


def medium_fandoms(request: HttpRequest, media: str) -> HttpResponse:
    medium = access_medium(request.user, tag_from_url_part(media))
    fandoms = fandoms_with_counts(
        request.user, canonical_fandoms().filter(parent_links__parent=medium)
    )
    return render(
        request,
        "tags/fandom_index.html",
        {"medium": medium, "letters": _by_first_letter(fandoms)},
    )


def fandom_index(request: HttpRequest) -> HttpResponse:
    fandoms = fandoms_with_counts(request.user, canonical_fandoms())
    return render(
        request, "tags/fandom_index.html", {"medium": None, "letters": _by_first_letter(fandoms)}
    )


def _by_first_letter(tags: list) -> list[tuple[str, list]]:
    """Alphabetised tags grouped under their first letter; names starting with anything but a
    letter go under "#", first."""
    groups: dict[str, list] = {}
    for tag in tags:
        first = tag.name[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(tag)
    return sorted(groups.items(), key=lambda item: (item[0] != "#", item[0]))


# The tag search's types, in the order its menu offers them.
SEARCH_TYPES = (
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
    TagType.MEDIA,
)


def tag_search(request: HttpRequest) -> HttpResponse:
    name = " ".join(request.GET.get("tag_search[name]", "").split())[:TAG_NAME_MAX]
    tag_type = request.GET.get("tag_search[type]", "")
    if tag_type not in SEARCH_TYPES:
        tag_type = ""
    canonical = {"T": True, "F": False}.get(request.GET.get("tag_search[canonical]", ""))
    tags = search_tags(request.user, name=name, tag_type=tag_type, canonical=canonical)
    if has_control_character(name):
        tags = tags.none()  # no tag's name holds one (PostgreSQL refuses NUL outright)
    page = Paginator(tags, TAGS_PER_PAGE, allow_empty_first_page=True).get_page(
        request.GET.get("page")
    )
    counts = tag_work_counts(request.user, list(page.object_list))
    for tag in page.object_list:
        tag.works_count = counts.get(tag.pk, 0)
    return render(
        request,
        "tags/tag_search.html",
        {
            "page": page,
            "name": name,
            "tag_type": tag_type,
            "canonical": request.GET.get("tag_search[canonical]", ""),
            "types": [(value, TagType(value).label) for value in SEARCH_TYPES],
        },
    )


def autocomplete(request: HttpRequest, tag_type: str) -> JsonResponse:
    """GET /autocomplete/<type>?term=...[&fandoms=A,B]: [{"id": ..., "name": ...}, ...]."""
    if tag_type not in AUTOCOMPLETE_TYPES:
        raise Http404("No such tag type.")
    term = request.GET.get("term", "")
    if not term.strip():
        return JsonResponse({"error": "Give the start of a tag name as ?term=."}, status=400)
    if len(term) > TAG_NAME_MAX:
        return JsonResponse(
            {"error": f"A tag name has at most {TAG_NAME_MAX} characters."}, status=400
        )
    # Control characters can't be in a tag name (PostgreSQL refuses NUL outright).
    if has_control_character(term):
        return JsonResponse([], safe=False)
    fandoms = split_tag_names(request.GET.get("fandoms", ""))[:MAX_NARROWING_FANDOMS]
    suggestions = autocomplete_tags(request.user, tag_type, term, fandoms=fandoms)
    return JsonResponse([{"id": pk, "name": name} for pk, name in suggestions], safe=False)
