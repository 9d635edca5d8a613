"""Reads of bookmarks: every listing starts from visible_bookmarks(viewer), which starts
from works.queries.visible_works; series are found through visible_series."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from quire.accounts.models import Pseud
from quire.accounts.queries import without_hidden, without_muted
from quire.tags.models import Tag
from quire.works.models import SerialWork, Series, Work
from quire.works.queries import access_work, blurb_works, visible_series, visible_works

from ..models import Bookmark

BOOKMARKS_PER_PAGE = 20


def visible_bookmarks(viewer) -> QuerySet[Bookmark]:
    """Bookmarks `viewer` may see: of works visible_works(viewer) lists or of series
    visible_series(viewer) lists, and public unless they are the viewer's own; not hidden
    by staff nor a spammer's, unless the viewer's own (staff see those too). Every bookmark
    listing starts here."""
    bookmarks = Bookmark.objects.filter(
        Q(work__in=visible_works(viewer).values("pk"))
        | Q(series__in=visible_series(viewer).values("pk"))
    )
    bookmarks = without_hidden(viewer, bookmarks, owner="owner")
    if viewer.is_authenticated:
        return bookmarks.filter(Q(private=False) | Q(owner=viewer))
    return bookmarks.filter(private=False)


def access_posted_work(viewer, work_id: int) -> Work:
    """A work `viewer` may read (works.queries.access_work, with its Http404 and
    RestrictedWork) that is posted: what a reader bookmarks, marks for later or subscribes to.
    A draft raises Http404 for everyone, its creators too."""
    work = access_work(viewer, work_id)
    if not work.posted:
        raise Http404("No such work.")
    return work


# What accounts.queries.without_muted leaves out of a bookmark listing: the bookmarks muted
# users made, and bookmarks of series by them (their works go with the viewer's blocklist).
BOOKMARK_MAKERS = ("owner", "series__pseuds__user")


def access_bookmark(viewer, bookmark_id: int) -> Bookmark:
    """The viewer's own bookmark, to edit or delete, with its work and tags. Anyone else's,
    or a missing one, raises Http404 alike."""
    if not viewer.is_authenticated:
        raise Http404("No such bookmark.")
    bookmark = (
        Bookmark.objects.filter(pk=bookmark_id, owner=viewer)
        .select_related("work", "series", "pseud")
        .prefetch_related("tags")
        .first()
    )
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


def own_bookmark(user, work: Work | None = None, series: Series | None = None) -> Bookmark | None:
    """The user's bookmark of `work` (or of `series`), if any."""
    if not user.is_authenticated:
        return None
    if series is not None:
        return Bookmark.objects.filter(owner=user, series=series).first()
    return Bookmark.objects.filter(owner=user, work=work).first()


def public_series_bookmarks(viewer, series: Series) -> QuerySet[Bookmark]:
    bookmarks = Bookmark.objects.filter(series=series, private=False, hidden_by_admin=False)
    return without_muted(viewer, bookmarks.exclude(owner__spammer=True), by=BOOKMARK_MAKERS)


def blurb_series(viewer, series_ids) -> dict[int, Series]:
    """The series with what their bookmark blurbs show, by id: creators, and `words` and
    `works_count` over the works visible to `viewer`. Three queries however many."""
    if not series_ids:
        return {}
    found = Series.objects.filter(pk__in=series_ids).prefetch_related(
        Prefetch("pseuds", queryset=Pseud.objects.select_related("user").order_by("name"))
    )
    series = {row.pk: row for row in found}
    sums = (
        SerialWork.objects.filter(series_id__in=series, work__in=visible_works(viewer).values("pk"))
        .values("series_id")
        .annotate(words=Sum("work__word_count"), works=Count("work_id"))
        .order_by()
    )
    for row in series.values():
        row.words, row.works_count = 0, 0
    for summed in sums:
        row = series[summed["series_id"]]
        row.words, row.works_count = summed["words"] or 0, summed["works"]
    return series


def bookmark_page(viewer, bookmarks: QuerySet[Bookmark], page_number) -> Page:
    """One page of bookmarks, newest first, each with `blurb_work` (the work with all its
    blurb shows) or `blurb_series`: a fixed number of queries however many bookmarks, tags,
    works or series."""
    ids = bookmarks.order_by("-created_at", "-id").values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, BOOKMARKS_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    rows = list(
        Bookmark.objects.filter(pk__in=list(page.object_list))
        .select_related("pseud__user")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("-created_at", "-id")
    )
    work_ids = [row.work_id for row in rows if row.work_id is not None]
    series_ids = [row.series_id for row in rows if row.series_id is not None]
    works = {work.pk: work for work in blurb_works(viewer, work_ids)} if work_ids else {}
    series = blurb_series(viewer, series_ids)
    for row in rows:
        row.blurb_work = works.get(row.work_id) if row.work_id is not None else None
        row.blurb_series = series.get(row.series_id) if row.series_id is not None else None
    page.object_list = [
        row for row in rows if row.blurb_work is not None or row.blurb_series is not None
    ]
    return page
