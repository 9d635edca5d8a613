"""Listings with the Sort and Filter sidebar, the advanced search page, the reader's blocklist
and saved searches, and each saved search's Atom feed."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from quire.lib.http import own_account_or_404, safe_return_to
from quire.tags.models import TagType
from quire.tags.queries import fixed_tags
from quire.works.models import Language

from . import actions
from .forms import SORT_LABELS, parse_work_search, value, with_scope
from .models import BlocklistEntry
from .queries import (
    access_blocklist_entry,
    access_saved_search,
    access_saved_search_feed,
    blocklist_entries,
    saved_search_feed_works,
    saved_searches,
    search_works,
)

LISTING_SORTS = [(column, label) for column, label in SORT_LABELS.items() if column != "_score"]
SEARCH_SORTS = list(SORT_LABELS.items())
# The sidebar's typed fields, re-shown after a submit.
SIDEBAR_FIELDS = (
    "other_tag_names",
    "excluded_tag_names",
    "crossover",
    "complete",
    "single_chapter",
    "words_from",
    "words_to",
    "date_from",
    "date_to",
    "query",
    "language_id",
)
# The advanced search's fields that the sidebar doesn't show: it carries them as hidden
# inputs so that filtering a search's results keeps the search.
SEARCH_ONLY_FIELDS = (
    "title",
    "creators",
    "revised_at",
    "word_count",
    "fandom_names",
    "character_names",
    "relationship_names",
    "freeform_names",
    "hits",
    "kudos_count",
    "comments_count",
    "bookmarks_count",
    "sort_direction",
)
SEARCH_ONLY_LISTS = ("rating_ids", "archive_warning_ids", "category_ids")
# Stripped from a saved search: they are about one visit, not the search.
UNSAVED_PARAMS = ("page", "show_hidden")
BLOCK_BUTTONS = {"tag": "tag_name", "creator": "creator_login", "work": "work"}


def render_listing(request: HttpRequest, *, scope: dict, context: dict) -> HttpResponse:
    """A work listing (/works, a tag's, a creator's, a language's) with its sidebar.

    `scope` narrows the query (tag_id, creator_id, ...); `context` names what is listed, for
    the heading."""
    search = with_scope(parse_work_search(request.GET), **scope)
    listing = search_works(request.user, search)
    return render(
        request,
        "works/work_index.html",
        {**context, **_listing_context(request, listing, LISTING_SORTS)},
    )


def work_search(request: HttpRequest) -> HttpResponse:
    """/works/search: the advanced search form, and with parameters its results."""
    search = parse_work_search(request.GET, search_page=True)
    form = _search_form_context(request.GET)
    if not search.active:
        return render(request, "search/work_search.html", {"form": form, "params": request.GET})
    listing = search_works(request.user, search)
    return render(
        request,
        "works/work_index.html",
        {
            **_listing_context(request, listing, SEARCH_SORTS),
            "search_page": True,
            "form": form,
        },
    )


def _listing_context(request: HttpRequest, listing, sort_options) -> dict:
    params = request.GET
    typed_sort = value(params, "sort_column")
    sort_values = {column for column, _ in sort_options}
    filters = {name: value(params, name) for name in SIDEBAR_FIELDS}
    filters["sort_column"] = typed_sort if typed_sort in sort_values else listing.search.query.sort
    carried = [(f"work_search[{name}]", value(params, name)) for name in SEARCH_ONLY_FIELDS]
    for name in SEARCH_ONLY_LISTS:
        carried += [
            (key, raw)
            for key in (f"work_search[{name}][]", f"work_search[{name}]")
            for raw in params.getlist(key)
        ]
    return {
        "listing": listing,
        "page": listing.page,
        "sort_options": sort_options,
        "params": params,
        "filters": filters,
        "carried": [(key, raw) for key, raw in carried if raw],
        "languages": language_choices(),
        "clear_url": escape_uri_path(request.path),
        "show_hidden_url": _with_params(request, show_hidden="1"),
        "hide_again_url": _with_params(request, show_hidden=None),
        "saved_query_string": _saved_query_string(params),
        # Each blurb offers a logged-in reader "Hide this work" (onto their blocklist).
        "hide_work_buttons": True,
    }


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every language, for the language menus."""
    return list(Language.objects.values_list("code", "name"))


def _with_params(request: HttpRequest, **changes) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, new in changes.items():
        query.pop(key, None)
        if new is not None:
            query[key] = new
    encoded, path = query.urlencode(), escape_uri_path(request.path)
    return f"{path}?{encoded}" if encoded else path


def _saved_query_string(params: QueryDict) -> str:
    query = params.copy()
    for key in UNSAVED_PARAMS:
        query.pop(key, None)
    return query.urlencode()


def _search_form_context(params: QueryDict) -> dict:
    fields = {name: value(params, name) for name in (*SIDEBAR_FIELDS, *SEARCH_ONLY_FIELDS)}
    fields["sort_column"] = value(params, "sort_column")

    def ticked(name: str) -> set[str]:
        return {
            raw.strip()
            for key in (f"work_search[{name}][]", f"work_search[{name}]")
            for raw in params.getlist(key)
        }

    return {
        "values": fields,
        "rating_id": next(iter(sorted(ticked("rating_ids"))), ""),
        "ratings": fixed_tags(TagType.RATING),
        "warnings": [
            (tag, str(tag.pk) in ticked("archive_warning_ids"))
            for tag in fixed_tags(TagType.WARNING)
        ],
        "categories": [
            (tag, str(tag.pk) in ticked("category_ids")) for tag in fixed_tags(TagType.CATEGORY)
        ],
        "languages": language_choices(),
        "sort_options": SEARCH_SORTS,
    }


# --- Blocklist --------------------------------------------------------------------------------


@login_required
def blocklist(request: HttpRequest, login: str) -> HttpResponse:
    """/users/<login>/blocklist: the owner's blocked tags, creators and works; POST adds one
    (from this page's forms, or a listing's Block button, which sends return_to)."""
    owner = own_account_or_404(request, login)
    typed = {"tag_name": "", "creator_login": "", "work": ""}
    error = None
    if request.method == "POST":
        typed = {name: request.POST.get(name, "").strip() for name in typed}
        # The page's button says which field it is for; a listing's Block button sends one.
        chosen = BLOCK_BUTTONS.get(request.POST.get("block", ""))
        asked = {name: text for name, text in typed.items() if chosen in (None, name)}
        return_to = safe_return_to(request)
        try:
            entry = actions.check_block(
                owner,
                tag_name=asked.get("tag_name", ""),
                creator_login=asked.get("creator_login", ""),
                work_ref=asked.get("work", ""),
            )
        except actions.BlocklistError as problem:
            if return_to:
                messages.error(request, str(problem))
                return redirect(return_to)
            error = str(problem)
        else:
            messages.success(request, f"{actions.describe_entry(entry)} is now on your blocklist.")
            return redirect(return_to or reverse("search:blocklist", args=[owner.username]))
    groups: dict[str, list[BlocklistEntry]] = {"tag": [], "creator": [], "work": []}
    for entry in blocklist_entries(owner).order_by("created_at", "id"):
        kind = "tag" if entry.tag_id else "creator" if entry.creator_id else "work"
        groups[kind].append(entry)
    return render(
        request,
        "search/blocklist.html",
        {"owner": owner, "groups": groups, "typed": typed, "error": error},
    )


@login_required
@require_POST
def blocklist_remove(request: HttpRequest, login: str, entry_id: int) -> HttpResponse:
    owner = own_account_or_404(request, login)
    entry = access_blocklist_entry(owner, entry_id)
    described = actions.describe_entry(entry)
    actions.do_unblock(entry)
    messages.success(request, f"{described} was removed from your blocklist.")
    return redirect(reverse("search:blocklist", args=[owner.username]))


# --- Saved searches ---------------------------------------------------------------------------


@login_required
def saved_search_list(request: HttpRequest, login: str) -> HttpResponse:
    """/users/<login>/saved_searches: the owner's saved searches with their feed URLs; POST
    saves one (name, path, query_string) from a listing's Save form."""
    owner = own_account_or_404(request, login)
    typed = {"name": "", "path": "", "query_string": ""}
    error = None
    if request.method == "POST":
        typed = {name: request.POST.get(name, "") for name in typed}
        try:
            saved = actions.check_save_search(owner, **typed)
        except actions.SavedSearchError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Saved your search as “{saved.name}”.")
            return redirect(reverse("search:saved-searches", args=[owner.username]))
    rows = [
        {
            "saved": saved,
            "url": _listing_url(saved),
            "feed_url": request.build_absolute_uri(_feed_path(saved)),
        }
        for saved in saved_searches(owner)
    ]
    return render(
        request,
        "search/saved_searches.html",
        {"owner": owner, "rows": rows, "typed": typed, "error": error},
    )


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, login: str, saved_id: int) -> HttpResponse:
    owner = own_account_or_404(request, login)
    saved = access_saved_search(owner, saved_id)
    actions.do_delete_saved_search(saved)
    messages.success(request, f"Deleted the saved search “{saved.name}”.")
    return redirect(reverse("search:saved-searches", args=[owner.username]))


def _listing_url(saved) -> str:
    path = escape_uri_path(saved.path)
    return f"{path}?{saved.query_string}" if saved.query_string else path


def _feed_path(saved) -> str:
    path = reverse("search:saved-search-feed", args=[saved.pk])
    return f"{path}?{urlencode({'token': saved.feed_token})}"


def saved_search_feed(request: HttpRequest, saved_id: int) -> HttpResponse:
    """/saved_searches/<id>/feed.atom?token=...: no login, the token is the key."""
    saved = access_saved_search_feed(saved_id, request.GET.get("token", ""))
    listing_url = _listing_url(saved)
    feed = Atom1Feed(
        title=saved.name,
        link=request.build_absolute_uri(listing_url),
        description=f"The newest works of the saved search “{saved.name}”.",
        feed_url=request.build_absolute_uri(request.get_full_path()),
        language="en",
    )
    for work in saved_search_feed_works(saved):
        link = request.build_absolute_uri(reverse("works:work-show", args=[work.pk]))
        feed.add_item(
            title=work.title,
            link=link,
            unique_id=link,
            description=work.summary,
            author_name=_creators(work),
            updateddate=work.revised_at,
            pubdate=work.revised_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _creators(work) -> str:
    if work.anonymous:
        return "Anonymous"
    return ", ".join(creatorship.pseud.byline for creatorship in work.creatorships.all())
