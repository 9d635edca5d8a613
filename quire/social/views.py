"""Kudos (a form post that redirects back to the work, or JSON for the page's script) and
bookmarks (their form, and the three listings)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.accounts.queries import access_user
from quire.search.queries import blocked_works
from quire.works.queries import RestrictedWork, access_work

from .actions import (
    BookmarkExists,
    KudosError,
    do_clear_readings,
    do_create_bookmark,
    do_create_series_bookmark,
    do_delete_bookmark,
    do_delete_reading,
    do_leave_kudos,
    do_mark_for_later,
    do_update_bookmark,
)
from .forms import BookmarkForm
from .permissions import GUEST_ON_RESTRICTED
from .queries import (
    access_bookmark,
    access_reading,
    access_visible_series,
    bookmark_page,
    kudos_summary,
    own_bookmark,
    reading_page,
    visible_bookmarks,
    visible_readings,
    without_muted,
)

KUDOS_THANKS = "Thank you for leaving kudos!"


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, the proxy must set REMOTE_ADDR (e.g. granian/nginx real-ip).
    return request.META.get("REMOTE_ADDR") or None


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Requested-With"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("Accept", "")


@require_POST
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = access_work(request.user, work_id)
    except RestrictedWork:
        work, error = None, GUEST_ON_RESTRICTED
    else:
        try:
            do_leave_kudos(work, user=request.user, ip=client_ip(request))
            error = None
        except KudosError as refused:
            error = str(refused)
    if _wants_json(request):
        if work is None:
            return JsonResponse({"ok": False, "message": error}, status=403)
        work.stats.refresh_from_db(fields=["kudos_count"])
        html = render_to_string("social/_kudos_list.html", {"kudos": kudos_summary(work)})
        return JsonResponse(
            {
                "ok": error is None,
                "message": error or KUDOS_THANKS,
                "kudos_count": work.stats.kudos_count,
                "kudos_html": html,
            },
            status=422 if error else 201,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, KUDOS_THANKS)
    return redirect("works:work-show", work_id=work_id)


# Bookmarks


def _submitted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"restricted": "true", "return_to": request.get_full_path()})
    return redirect(f"{reverse('account_login')}?{query}")


@login_required
def bookmark_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    if not work.posted:
        raise Http404("No such work.")
    existing = own_bookmark(request.user, work)
    if existing is not None:
        return redirect("social:bookmark-edit", bookmark_id=existing.pk)
    form = BookmarkForm(_submitted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            do_create_bookmark(work, owner=request.user, data=form.bookmark_input())
        except BookmarkExists as exists:
            return redirect("social:bookmark-edit", bookmark_id=exists.bookmark.pk)
        messages.success(request, "Bookmark was successfully created.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request, "social/bookmark_form.html", {"form": form, "work": work, "bookmark": None}
    )


@login_required
def series_bookmark_new(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_visible_series(request.user, series_id)
    existing = own_bookmark(request.user, series=series)
    if existing is not None:
        return redirect("social:bookmark-edit", bookmark_id=existing.pk)
    form = BookmarkForm(_submitted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            do_create_series_bookmark(series, owner=request.user, data=form.bookmark_input())
        except BookmarkExists as exists:
            return redirect("social:bookmark-edit", bookmark_id=exists.bookmark.pk)
        messages.success(request, "Bookmark was successfully created.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request,
        "social/bookmark_form.html",
        {"form": form, "work": None, "series": series, "bookmark": None},
    )


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark(request.user, bookmark_id)
    form = BookmarkForm(_submitted(request), user=request.user, bookmark=bookmark)
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
        return _login_redirect(request)
    bookmarks = visible_bookmarks(request.user).filter(work=work, private=False)
    return _bookmark_listing(request, without_muted(request.user, bookmarks), work=work)


def series_bookmarks(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_visible_series(request.user, series_id)
    bookmarks = visible_bookmarks(request.user).filter(series=series, private=False)
    return _bookmark_listing(request, without_muted(request.user, bookmarks), series=series)


def user_bookmarks(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    # visible_bookmarks leaves private bookmarks to their owner alone.
    bookmarks = visible_bookmarks(request.user).filter(owner=owner)
    if owner.pk != request.user.pk:
        # Another reader's list is a listing like any other: the viewer's blocklist and
        # mutes apply.
        bookmarks = bookmarks.exclude(work__in=blocked_works(request.user).values("pk"))
        bookmarks = without_muted(request.user, bookmarks)
    return _bookmark_listing(request, bookmarks, owner=owner)


def bookmark_index(request: HttpRequest) -> HttpResponse:
    bookmarks = visible_bookmarks(request.user).filter(private=False)
    bookmarks = bookmarks.exclude(work__in=blocked_works(request.user).values("pk"))
    return _bookmark_listing(request, without_muted(request.user, bookmarks))


# Reading history and Marked for Later


def _own_history(request: HttpRequest, login: str):
    """The viewer's own account; anyone else's history does not exist for them."""
    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    return owner


@login_required
def user_readings(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_history(request, login)
    to_read = request.GET.get("show") == "to-read"
    readings = visible_readings(owner)
    if to_read:
        readings = readings.filter(toread=True)
    page = reading_page(request.user, readings, request.GET.get("page"))
    return render(
        request, "social/reading_index.html", {"page": page, "owner": owner, "to_read": to_read}
    )


@login_required
@require_POST
def reading_delete(request: HttpRequest, login: str, reading_id: int) -> HttpResponse:
    owner = _own_history(request, login)
    do_delete_reading(access_reading(request.user, reading_id))
    messages.success(request, "Work successfully deleted from your history.")
    return redirect("social:user-readings", login=owner.username)


@login_required
@require_POST
def readings_clear(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_history(request, login)
    do_clear_readings(owner)
    messages.success(request, "Your history is now cleared.")
    return redirect("social:user-readings", login=owner.username)


def _mark(request: HttpRequest, work_id: int, *, toread: bool) -> HttpResponse:
    work = access_work(request.user, work_id)
    if not work.posted:
        raise Http404("No such work.")
    do_mark_for_later(request.user, work, toread=toread)
    if toread:
        messages.success(
            request,
            "This work was added to your Marked for Later list. It may take a while for "
            "changes to show up.",
        )
    else:
        messages.success(request, "This work was removed from your Marked for Later list.")
    return redirect("works:work-show", work_id=work.pk)


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    return _mark(request, work_id, toread=True)


@login_required
@require_POST
def mark_as_read(request: HttpRequest, work_id: int) -> HttpResponse:
    return _mark(request, work_id, toread=False)
