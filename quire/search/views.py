"""Listings with the Sort and Filter sidebar, and the advanced search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import SORT_LABELS, parse_work_search, with_scope
from .queries import search_works

LISTING_SORTS = [(column, label) for column, label in SORT_LABELS.items() if column != "_score"]


def render_listing(request: HttpRequest, *, scope: dict, context: dict) -> HttpResponse:
    """A work listing (/works, a tag's, a creator's, a language's) with its sidebar.

    `scope` narrows the query (tag_id, creator_id, ...); `context` names what is listed, for
    the heading."""
    search = with_scope(parse_work_search(request.GET), **scope)
    listing = search_works(request.user, search)
    return render(
        request,
        "works/work_index.html",
        {
            **context,
            "listing": listing,
            "page": listing.page,
            "sort_options": LISTING_SORTS,
            "params": request.GET,
        },
    )
