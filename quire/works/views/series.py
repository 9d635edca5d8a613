"""A series' pages. Every series read goes through queries.access_series."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import submitted
from quire.lib.sanitize import format_user_text
from quire.social.queries import own_bookmark, own_subscription, public_series_bookmarks

from .. import actions
from ..forms import SeriesForm
from ..permissions import can_edit_series
from ..queries import SERIES_ORDER, access_series, blurb_page, series_works, without_muted_works


def series_show(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    works = without_muted_works(request.user, series_works(series, request.user))
    page = blurb_page(works, request.GET.get("page"), order=SERIES_ORDER, viewer=request.user)
    return render(
        request,
        "works/series_show.html",
        {
            "series": series,
            "page": page,
            "stats": _series_stats(works),
            "can_edit": can_edit_series(request.user, series),
            "subscription": own_subscription(request.user, series=series),
            "own_bookmark": own_bookmark(request.user, series=series),
            "bookmarks_count": public_series_bookmarks(request.user, series).count(),
        },
    )


def _series_stats(works) -> dict:
    return works.aggregate(words=Sum("word_count"), count=Count("id"))


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id, for_edit=True)
    form = SeriesForm(
        submitted(request),
        initial={
            "title": series.title,
            "summary": series.summary,
            "notes": series.notes,
            "complete": series.complete,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_update_series(
            series,
            title=data["title"],
            summary=format_user_text(data["summary"]),
            notes=format_user_text(data["notes"]),
            complete=data["complete"],
        )
        messages.success(request, "Series was successfully updated.")
        return redirect("works:series-show", series_id=series.pk)
    return render(request, "works/series_form.html", {"form": form, "series": series})
