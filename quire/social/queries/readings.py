"""Reads of reading history, of works the owner may still see."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from quire.works.models import Work
from quire.works.queries import blurb_works, visible_works

from ..models import Reading

READINGS_PER_PAGE = 20


def visible_readings(owner) -> QuerySet[Reading]:
    """The owner's reading history, of works they may still see (visible_works): works since
    hidden, deleted or drafted drop out."""
    return Reading.objects.filter(user=owner, work__in=visible_works(owner).values("pk"))


def access_reading(viewer, reading_id: int) -> Reading:
    """The viewer's own reading entry; anyone else's, or a missing one, raises Http404."""
    if not viewer.is_authenticated:
        raise Http404("No such reading.")
    reading = Reading.objects.filter(pk=reading_id, user=viewer).first()
    if reading is None:
        raise Http404("No such reading.")
    return reading


def own_reading(user, work: Work) -> Reading | None:
    if not user.is_authenticated:
        return None
    return Reading.objects.filter(user=user, work=work).first()


def reading_page(viewer, readings: QuerySet[Reading], page_number) -> Page:
    """One page of readings, most recently viewed first, each with `blurb_work`: a fixed
    number of queries however many readings."""
    ids = readings.order_by("-last_viewed_at", "-id").values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, READINGS_PER_PAGE, allow_empty_first_page=True).get_page(
        page_number
    )
    rows = list(Reading.objects.filter(pk__in=list(page.object_list)))
    rows.sort(key=lambda row: (row.last_viewed_at, row.pk), reverse=True)
    works = {work.pk: work for work in blurb_works(viewer, [row.work_id for row in rows])}
    for row in rows:
        row.blurb_work = works.get(row.work_id)
        if row.blurb_work is not None:
            row.work = row.blurb_work
    page.object_list = [row for row in rows if row.blurb_work is not None]
    return page
