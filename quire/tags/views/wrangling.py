"""Wrangling pages, for tag wranglers and admins; to everyone else they do not exist (404).

Each change goes through one wrangling action. A tag's edit page applies its steps all or
nothing; the mass actions of a dashboard apply to each ticked row on its own, so one refused
row does not stop the others.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import submitted

from ..actions import WranglingError
from ..forms import (
    FandomLookupForm,
    HistoryFilterForm,
    MassWrangleForm,
    SortTagsForm,
    Step,
    TagEditForm,
)
from ..models import Tag, TagType
from ..names import tag_from_url_part, tag_to_url_part
from ..permissions import can_wrangle
from ..queries import (
    WRANGLING_STATUSES,
    access_tag_for_wrangling,
    fandom_wrangling_rows,
    fandoms_by_unwrangled,
    recent_wrangling,
    tag_by_name,
    tag_relations,
    unsorted_tags,
    with_parent_fandoms,
    wrangling_history,
)

ROWS_PER_PAGE = 50
SHOW_TYPES = {
    "characters": TagType.CHARACTER,
    "relationships": TagType.RELATIONSHIP,
    "freeforms": TagType.FREEFORM,
}


def wranglers_only(view):
    """Missing and forbidden look alike: a non-wrangler gets the same 404 as a bad URL."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_wrangle(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return guarded


def _apply_all_or_nothing(tag: Tag, steps: list[Step]) -> list[str]:
    """Run every step (each one action, in its own savepoint, on the tag as it now is) and
    report every refusal; if any step is refused, none of them is kept."""
    errors: list[str] = []
    with transaction.atomic():
        for step in steps:
            try:
                with transaction.atomic():
                    step(Tag.objects.select_related("merger").get(pk=tag.pk))
            except WranglingError as error:
                errors.append(str(error))
        if errors:
            transaction.set_rollback(True)
    return errors


def _apply_each(tags: Iterable[Tag], action: Callable[[Tag], object]) -> tuple[int, list[str]]:
    """Apply `action` to each tag on its own; returns how many succeeded and the refusals."""
    done, errors = 0, []
    for tag in tags:
        try:
            with transaction.atomic():
                action(tag)
            done += 1
        except WranglingError as error:
            errors.append(f"{tag.name}: {error}")
    return done, errors


def _page(rows, request: HttpRequest):
    return Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))


@wranglers_only
def wrangling_index(request: HttpRequest) -> HttpResponse:
    lookup = FandomLookupForm(request.GET if "fandom" in request.GET else None)
    if lookup.is_bound and lookup.is_valid():
        fandom = tag_by_name(lookup.cleaned_data["fandom"].strip())
        if fandom is not None and fandom.type == TagType.FANDOM:
            return redirect("wrangling:fandom-wrangle", tag=tag_to_url_part(fandom.name))
        lookup.add_error("fandom", f"There is no fandom named {lookup.cleaned_data['fandom']}.")
    page = _page(fandoms_by_unwrangled(), request)
    counts = list(page.object_list)
    roots = Tag.objects.in_bulk([row["root"] for row in counts])
    fandoms = [(roots[row["root"]], row["unwrangled"]) for row in counts]
    return render(
        request,
        "tags/wrangling_index.html",
        {
            "page": page,
            "fandoms": fandoms,
            "lookup": lookup,
            "unsorted_count": unsorted_tags().count(),
        },
    )


@wranglers_only
def tag_edit(request: HttpRequest, tag: str) -> HttpResponse:
    row = access_tag_for_wrangling(request.user, tag_from_url_part(tag))
    relations = tag_relations(row)
    form = TagEditForm(submitted(request), tag=row, relations=relations)
    if request.method == "POST" and form.is_valid():
        errors = _apply_all_or_nothing(row, form.steps(by=request.user))
        if not errors:
            messages.success(request, f"{row.name} was updated.")
            return redirect("wrangling:tag-edit", tag=tag_to_url_part(row.name))
        for error in errors:
            form.add_error(None, error)
    return render(
        request,
        "tags/wrangling_tag_edit.html",
        {
            "tag": row,
            "form": form,
            "listed": form.listed(),
            "children": relations["children"],
            "history": recent_wrangling(row),
        },
    )


@wranglers_only
def fandom_wrangle(request: HttpRequest, tag: str) -> HttpResponse:
    fandom = access_tag_for_wrangling(request.user, tag_from_url_part(tag))
    if fandom.type != TagType.FANDOM:
        raise Http404("No such fandom.")
    show = request.GET.get("show", "")
    if show not in SHOW_TYPES:
        show = "characters"
    status = request.GET.get("status", "")
    if status not in WRANGLING_STATUSES:
        status = ""
    form = MassWrangleForm(submitted(request), tag_type=SHOW_TYPES[show])
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        done, refused = _apply_each(form.cleaned_data["tags"], form.row_action(by=request.user))
        if done:
            messages.success(request, f"Wrangled {done} tag{'s' if done != 1 else ''}.")
        if not refused:
            return redirect(request.get_full_path())
    page = _page(fandom_wrangling_rows(fandom, SHOW_TYPES[show], status), request)
    page.object_list = with_parent_fandoms(page.object_list)
    return render(
        request,
        "tags/wrangling_fandom.html",
        {
            "fandom": fandom,
            "show": show,
            "shows": list(SHOW_TYPES),
            "status": status,
            "statuses": list(WRANGLING_STATUSES),
            "page": page,
            "form": form,
            "ticked": form.ticked(),
            "refused": refused,
        },
    )


@wranglers_only
def unsorted_bin(request: HttpRequest) -> HttpResponse:
    form = SortTagsForm(submitted(request))
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        done, refused = _apply_each(form.cleaned_data["tags"], form.row_action(by=request.user))
        if done:
            messages.success(request, f"Sorted {done} tag{'s' if done != 1 else ''}.")
        if not refused:
            return redirect(request.get_full_path())
    page = _page(unsorted_tags(), request)
    return render(
        request,
        "tags/wrangling_unsorted.html",
        {"page": page, "form": form, "ticked": form.ticked(), "refused": refused},
    )


@wranglers_only
def history(request: HttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    events = wrangling_history(
        tag_name=criteria.get("tag", "").strip(), wrangler=criteria.get("wrangler", "").strip()
    )
    return render(
        request, "tags/wrangling_history.html", {"form": form, "page": _page(events, request)}
    )
