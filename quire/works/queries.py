"""Reads of works. `visible_works(viewer)` is the one place that decides who sees which work;
every listing, count, page, feed and download starts from it."""

from typing import Any

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum, prefetch_related_objects
from django.http import Http404

from quire.accounts.models import Pseud
from quire.accounts.queries import without_muted
from quire.tags.models import WORK_TAG_TYPES

from .display import blurb_hiding, fragment_version, zone_variant
from .models import Chapter, Creatorship, SerialWork, Series, Tagging, Work
from .permissions import can_edit_series, can_see_hidden_work, is_creator


class RestrictedWork(Exception):
    """A logged-out visitor asked for a registered-users-only work: send them to log in."""


class _AnyRegisteredReader:
    """Stands for "some logged-in reader" when asking whether logging in would help."""

    is_authenticated = True
    pk = None


ANY_REGISTERED_READER = _AnyRegisteredReader()


def visible_works(viewer) -> QuerySet[Work]:
    """Works `viewer` may find in listings, counts, feeds and downloads.

    Posted, not hidden by an admin, by no user marked as a spammer, not in an unrevealed
    collection, and not restricted unless the viewer is logged in. Drafts are never listed,
    not even to their creators (they have their own drafts page, built from `own_works`);
    nor are hidden works (access_work lets their creators and staff read them).
    """
    works = Work.objects.filter(
        posted=True, hidden_by_admin=False, in_unrevealed_collection=False
    ).exclude(creatorships__pseud__user__spammer=True)
    if not viewer.is_authenticated:
        works = works.filter(restricted=False)
    return works


def own_works(user) -> QuerySet[Work]:
    """Every work `user` is a creator of, drafts and hidden works included."""
    if not user.is_authenticated:
        return Work.objects.none()
    return Work.objects.filter(creatorships__pseud__user=user).distinct()


def with_creators(works: QuerySet[Work]) -> QuerySet[Work]:
    return works.prefetch_related(
        Prefetch(
            "creatorships",
            # With the creators' preferences: the page's robots meta asks them (a join).
            queryset=Creatorship.objects.select_related("pseud__user__preference").order_by(
                "position", "id"
            ),
        )
    )


def access_work(viewer, work_id: int, *, for_edit: bool = False) -> Work:
    """Fetch a work `viewer` may read (or, with for_edit, change), with its creators.

    "Missing" and "not yours to see" both raise Http404. The one exception: a logged-out
    visitor asking for a restricted work gets RestrictedWork, because AO3 sends them to log in.
    Creators see their own drafts and hidden works; admins see hidden (posted) works, and
    those of spammers.
    """
    base = with_creators(Work.objects.select_related("language", "stats"))
    if for_edit:
        work = own_works(viewer).filter(pk=work_id).first()
        if work is None:
            raise Http404("No such work.")
        return base.get(pk=work.pk)
    work = with_creators(
        visible_works(viewer).select_related("language", "stats").filter(pk=work_id)
    ).first()
    if work is not None:
        return work
    if viewer.is_authenticated:
        work = base.filter(pk__in=own_works(viewer).filter(pk=work_id).values("pk")).first()
        if work is None and can_see_hidden_work(viewer):
            work = base.filter(pk=work_id, posted=True).first()
        if work is not None:
            return work
    elif visible_works(ANY_REGISTERED_READER).filter(pk=work_id).exists():
        raise RestrictedWork
    raise Http404("No such work.")


def access_chapter(viewer, chapter_id: int) -> Chapter:
    """Fetch a chapter `viewer` may read, without its text, with `chapter.work` loaded through
    access_work (so the same Http404 and RestrictedWork apply). Draft chapters are for the
    work's creators only; to everyone else they do not exist. A chapter staff hid is its
    creators' and staff's."""
    work_id = Chapter.objects.filter(pk=chapter_id).values_list("work_id", flat=True).first()
    if work_id is None:
        raise Http404("No such chapter.")
    work = access_work(viewer, work_id)
    chapters = Chapter.objects.filter(pk=chapter_id)
    if not is_creator(viewer, work):
        chapters = chapters.filter(posted=True)
        if not can_see_hidden_work(viewer):
            chapters = chapters.filter(hidden_by_admin=False)
    chapter = chapters.only("id", "work_id", "position", "posted", "hidden_by_admin").first()
    if chapter is None:
        raise Http404("No such chapter.")
    chapter.work = work
    return chapter


def work_tags(work: Work) -> list:
    """The work's tags in display order: by type (AO3.md §1), then in the order given."""
    order = {tag_type: index for index, tag_type in enumerate(WORK_TAG_TYPES)}
    taggings = Tagging.objects.filter(work=work).select_related("tag").order_by("id")
    tags = [tagging.tag for tagging in taggings]
    return sorted(tags, key=lambda tag: order.get(tag.type, len(order)))


def work_chapters(
    work: Work, *, include_drafts: bool = False, include_hidden: bool = False
) -> QuerySet[Chapter]:
    """The work's chapters in order: posted ones, less those staff hid (a hidden chapter is
    gone for readers as a draft is). A creator's view (include_drafts) has them all; staff's
    (include_hidden) the hidden ones too, never the drafts."""
    chapters = Chapter.objects.filter(work=work)
    if not include_drafts:
        chapters = chapters.filter(posted=True)
        if not include_hidden:
            chapters = chapters.filter(hidden_by_admin=False)
    return chapters.order_by("position")


def work_word_count(work: Work, *, include_drafts: bool = False) -> int:
    """The words of the work's chapters, draft chapters too if asked (a draft's preview)."""
    chapters = work_chapters(work, include_drafts=include_drafts).order_by()
    return chapters.aggregate(words=Sum("word_count"))["words"] or 0


def chapter_index(
    work: Work, *, include_drafts: bool = False, include_hidden: bool = False
) -> list[Chapter]:
    """Chapters without their text, for navigation and the chapter index."""
    return list(
        work_chapters(work, include_drafts=include_drafts, include_hidden=include_hidden).only(
            "id", "position", "title", "posted", "published_at", "work_id", "hidden_by_admin"
        )
    )


def reader_chapter_index(viewer, work: Work) -> list[Chapter]:
    """The chapter index `viewer` reads: a creator's has drafts and hidden chapters, staff's
    hidden chapters, everyone else's neither."""
    creator = is_creator(viewer, work)
    return chapter_index(
        work, include_drafts=creator, include_hidden=creator or can_see_hidden_work(viewer)
    )


def series_positions(work: Work, viewer) -> list[dict]:
    """For each series holding `work` that `viewer` may see (one staff hid is its creators'
    and staff's): its position and the visible neighbours on each side."""
    rows = (
        SerialWork.objects.filter(work=work)
        .select_related("series")
        .annotate(spammers=Exists(_spammer_pseuds(OuterRef("series_id"))))
        .order_by("series_id")
    )
    serial_works = [serial for serial in rows if _series_shown(viewer, serial)]
    if not serial_works:
        return []
    series_ids = [serial.series_id for serial in serial_works]
    siblings = (
        SerialWork.objects.filter(series_id__in=series_ids)
        .filter(work__in=visible_works(viewer).values("pk"))
        .values_list("series_id", "work_id", "position")
        .order_by("series_id", "position", "id")
    )
    visible_by_series: dict[int, list[tuple[int, int]]] = {}
    for series_id, work_id, position in siblings:
        visible_by_series.setdefault(series_id, []).append((position, work_id))
    result = []
    for serial in serial_works:
        listed = visible_by_series.get(serial.series_id, [])
        earlier = [work_id for position, work_id in listed if position < serial.position]
        later = [work_id for position, work_id in listed if position > serial.position]
        result.append(
            {
                "series": serial.series,
                "position": serial.position,
                "previous_id": earlier[-1] if earlier else None,
                "next_id": later[0] if later else None,
            }
        )
    return result


def series_works(series: Series, viewer) -> QuerySet[Work]:
    return (
        visible_works(viewer)
        .filter(serial_works__series=series)
        .order_by("serial_works__position", "id")
    )


def without_muted_works(viewer, works: QuerySet[Work]) -> QuerySet[Work]:
    """`works` less those by users `viewer` muted, never anonymous ones (that would tell who
    wrote them), for listings the search engine doesn't build. One subquery, whatever the
    number of mutes."""
    return without_muted(viewer, works, by=("creatorships__pseud__user",), anonymous="anonymous")


def visible_series(viewer, *, include_hidden: bool = False) -> QuerySet[Series]:
    """Series `viewer` may find: those with at least one work visible_works(viewer) lists, not
    hidden by staff and by no user marked as a spammer (include_hidden keeps those, for
    staff's reading door). A series whose works are all restricted is hidden from guests;
    one of drafts, from all."""
    # Staff's door (include_hidden) counts the posted works staff hid and spammers' too.
    works = Work.objects.filter(posted=True) if include_hidden else visible_works(viewer)
    series = Series.objects.filter(
        pk__in=SerialWork.objects.filter(work__in=works.values("pk")).values("series_id")
    )
    if include_hidden:
        return series
    return series.filter(hidden_by_admin=False).exclude(pseuds__user__spammer=True)


def _spammer_pseuds(series_id):
    return Series.pseuds.through.objects.filter(series_id=series_id, pseud__user__spammer=True)


def _series_shown(viewer, serial: SerialWork) -> bool:
    """Whether the series of `serial` (annotated with `spammers`) may be named to `viewer`:
    one staff hid, or a spammer's, is its creators' and staff's. A query only then."""
    if not (serial.series.hidden_by_admin or serial.spammers):  # type: ignore[attr-defined]
        return True
    return can_see_hidden_work(viewer) or can_edit_series(viewer, serial.series)


def access_series(viewer, series_id: int, *, for_edit: bool = False) -> Series:
    """The one door to a series, for its page, its bookmarks, its downloads and its
    subscriptions: a series visible_series(viewer) lists, or one of the viewer's own (a
    series of drafts is its creators' alone); with for_edit, the viewer's own only. A series
    staff hid (or a spammer's) is its creators' and staff's. Missing and forbidden both
    raise Http404. What the series shows of its works is series_works."""
    series = Series.objects.filter(pk=series_id).prefetch_related("pseuds__user").first()
    if series is None:
        raise Http404("No such series.")
    if can_edit_series(viewer, series):
        return series
    staff = can_see_hidden_work(viewer)
    if for_edit or not visible_series(viewer, include_hidden=staff).filter(pk=series_id).exists():
        raise Http404("No such series.")
    return series


def own_series(user) -> QuerySet[Series]:
    if not user.is_authenticated:
        return Series.objects.none()
    return Series.objects.filter(pseuds__user=user).distinct().order_by("title")


def own_pseuds(user) -> QuerySet[Pseud]:
    return Pseud.objects.filter(user=user).order_by("-is_default", "name")


WORKS_PER_PAGE = 20
LISTING_ORDER = ("-revised_at", "-id")  # AO3's default: Date Updated, newest first
SERIES_ORDER = ("serial_works__position", "id")


def blurb_page(works: QuerySet[Work], page_number, *, order=LISTING_ORDER, viewer=None) -> Page:
    """One page of works with everything a blurb shows, fetched in a fixed number of queries
    however many works, tags or series there are (for `viewer`'s variant of the blurbs,
    works.display, when given)."""
    ids = works.order_by(*order).values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, WORKS_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    page.object_list = _blurb_rows(Work.objects.all(), list(page.object_list), viewer=viewer)
    return page


def blurb_works(viewer, ids: list[int]) -> list[Work]:
    """These works, in this order, with everything a blurb shows; any `viewer` may not see
    (a search index a moment behind, say) are left out."""
    return _blurb_rows(visible_works(viewer), ids, viewer=viewer)


BLURB_PREFETCHES = (
    Prefetch("taggings", queryset=Tagging.objects.select_related("tag").order_by("id")),
    # A series staff hid (or a spammer's) is named in no blurb; hiding one bumps its works.
    Prefetch(
        "serial_works",
        queryset=SerialWork.objects.filter(series__hidden_by_admin=False)
        .exclude(series__pseuds__user__spammer=True)
        .select_related("series")
        .order_by("series_id"),
    ),
    Prefetch(
        "creatorships",
        queryset=Creatorship.objects.select_related("pseud__user").order_by("position", "id"),
    ),
)


def _blurb_rows(works: QuerySet[Work], ids: list[int], *, viewer=None) -> list[Work]:
    """The works with what their blurbs show. Creators, tags and series are read only for
    works whose blurb fragment (_blurb.html, keyed by version) is not cached: in a busy
    listing that is almost none, and reading them costs more than rendering the page."""
    rows = list(works.filter(pk__in=ids).select_related("language", "stats"))
    keys = {
        work.pk: make_template_fragment_key("blurb", [work.pk, _blurb_version(viewer, work)])
        for work in rows
    }
    cached = cache.get_many(list(keys.values()))
    missing = [work for work in rows if keys[work.pk] not in cached]
    prefetch_related_objects(missing, *BLURB_PREFETCHES)
    by_id = {work.pk: work for work in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def _blurb_version(viewer, work: Work) -> str:
    """The version part of the blurb fragment's key for this reader (works.display)."""
    hide = blurb_hiding(viewer, work.pk) if viewer is not None else None
    return fragment_version(work.version, hide.key if hide else "", zone_variant())
