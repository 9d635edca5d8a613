"""Bookmarks: the form (of a work or a series), editing, deleting, and the listings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from quire.accounts.queries import access_user, without_muted
from quire.lib.http import login_redirect, submitted
from quire.moderation.permissions import participation_refused
from quire.search.queries import blocked_works
from quire.works.queries import RestrictedWork, access_series, access_work

from ..actions import (
    BookmarkExists,
    do_create_bookmark,
    do_create_series_bookmark,
    do_delete_bookmark,
    do_update_bookmark,
)
from ..forms import BookmarkForm
from ..queries import (
    BOOKMARK_MAKERS,
    access_bookmark,
    access_posted_work,
    bookmark_page,
    own_bookmark,
    visible_bookmarks,
)


@login_required
def bookmark_new(request: HttpRequest, work_id: int) -> HttpResponse:
    if refused := participation_refused(request, "bookmark"):
        return refused
    work = access_posted_work(request.user, work_id)
    return _bookmark_new(request, lambda data: do_create_bookmark(work, **data), work=work)


@login_required
def series_bookmark_new(request: HttpRequest, series_id: int) -> HttpResponse:
    if refused := participation_refused(request, "bookmark"):
        return refused
    series = access_series(request.user, series_id)
    return _bookmark_new(
        request, lambda data: do_create_series_bookmark(series, **data), series=series
    )


def _bookmark_new(request: HttpRequest, create, *, work=None, series=None) -> HttpResponse:
    """The new-bookmark form of a work or a series the caller fetched through its door; a
    reader who already has one is sent to edit it."""
    existing = own_bookmark(request.user, work=work, series=series)
    if existing is not None:
        return redirect("social:bookmark-edit", bookmark_id=existing.pk)
    form = BookmarkForm(submitted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            create({"owner": request.user, "data": form.bookmark_input()})
        except BookmarkExists as exists:
            return redirect("social:bookmark-edit", bookmark_id=exists.bookmark.pk)
        messages.success(request, "Bookmark was successfully created.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request,
        "social/bookmark_form.html",
        {"form": form, "work": work, "series": series, "bookmark": None},
    )


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    if refused := participation_refused(request, "bookmark"):
        return refused
    bookmark = access_bookmark(request.user, bookmark_id)
    form = BookmarkForm(submitted(request), user=request.user, bookmark=bookmark)
    if request.method == "POST" and form.is_valid():
        do_update_bookmark(bookmark, form.bookmark_input())
        messages.success(request, "Bookmark was successfully updated.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request,
        "social/bookmark_form.html",
        {"form": form, "work": bookmark.work, "series": bookmark.series, "bookmark": bookmark},
    )


@login_required
@require_POST
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark(request.user, bookmark_id)
    do_delete_bookmark(bookmark)
    messages.success(request, "Bookmark was successfully deleted.")
    return redirect("social:user-bookmarks", login=request.user.username)


def _bookmark_listing(request: HttpRequest, bookmarks, **context) -> HttpResponse:
    page = bookmark_page(request.user, bookmarks, request.GET.get("page"))
    return render(request, "social/bookmark_index.html", {"page": page, **context})


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = access_work(request.user, work_id)
    except RestrictedWork:
        return login_redirect(request)
    bookmarks = visible_bookmarks(request.user).filter(work=work, private=False)
    return _bookmark_listing(
        request, without_muted(request.user, bookmarks, by=BOOKMARK_MAKERS), work=work
    )


def series_bookmarks(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    bookmarks = visible_bookmarks(request.user).filter(series=series, private=False)
    return _bookmark_listing(
        request, without_muted(request.user, bookmarks, by=BOOKMARK_MAKERS), series=series
    )


def user_bookmarks(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    # visible_bookmarks leaves private bookmarks to their owner alone.
    bookmarks = visible_bookmarks(request.user).filter(owner=owner)
    if owner.pk != request.user.pk:
        # Another reader's list is a listing like any other: the viewer's blocklist and
        # mutes apply.
        bookmarks = bookmarks.exclude(work__in=blocked_works(request.user).values("pk"))
        bookmarks = without_muted(request.user, bookmarks, by=BOOKMARK_MAKERS)
    return _bookmark_listing(request, bookmarks, owner=owner)


def bookmark_index(request: HttpRequest) -> HttpResponse:
    bookmarks = visible_bookmarks(request.user).filter(private=False)
    bookmarks = bookmarks.exclude(work__in=blocked_works(request.user).values("pk"))
    return _bookmark_listing(request, without_muted(request.user, bookmarks, by=BOOKMARK_MAKERS))
