"""Writes for works, chapters and series.

Each public `do_*` runs in one transaction and bumps `Work.version`, which the cached
fragments of the work page are keyed on. Callers have already checked permissions and
validated input (forms.py); nothing here sends mail. What other apps must learn of a posting
they learn by an explicit call in the same transaction: the search index, the filter table,
and the social app's subscription notices (rows only; the mail goes out in a later batch).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.lib.text import title_sort_key
from quire.search.engines import get_engine
from quire.social.actions import (
    do_record_new_chapter,
    do_record_new_work,
    do_record_series_addition,
)
from quire.tags.actions import do_find_or_create_tags
from quire.tags.audience import refresh_tag_audience, work_tag_ids
from quire.tags.fixed import ADULT_RATINGS
from quire.tags.models import Tag, TagType

from .models import (
    Chapter,
    Creatorship,
    Language,
    SerialWork,
    Series,
    Tagging,
    Work,
    WorkStats,
)
from .pagecache import expire_work_pages
from .versions import do_bump_work_versions, rebuild_work_filters, refresh_is_deferred

TITLE_SORT_MAX = Work._meta.get_field("title_sort_key").max_length


@dataclass
class ChapterInput:
    """A chapter's fields, already sanitized."""

    content: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    word_count: int = 0


@dataclass
class WorkInput:
    """A work's fields, validated and sanitized; user tags are still names."""

    title: str
    pseuds: list[Pseud]
    rating: Tag
    warnings: list[Tag]
    fandoms: list[str]
    language: Language
    categories: list[Tag] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    restricted: bool = False
    comment_permission: int = 0
    moderated_comments: bool = False
    expected_chapters: int | None = 1
    series: Series | None = None
    new_series_title: str = ""
    series_position: int | None = None
    backdate: datetime.date | None = None
    # Imports only: the original's last change ("Date Updated"); posting otherwise means now.
    revised_at: datetime.datetime | None = None


_WORK_FIELDS = (
    "title",
    "summary",
    "notes",
    "endnotes",
    "language",
    "restricted",
    "comment_permission",
    "moderated_comments",
    "expected_chapters",
)


def do_create_work(
    data: WorkInput,
    chapter: ChapterInput,
    *,
    post: bool,
    more_chapters: Sequence[ChapterInput] = (),
) -> Work:
    """Create a work with its first chapter (and, for imports, the rest of its chapters in
    the same go); `post=False` saves it as a draft.

    Side effects: tags unknown to the archive are created (non-canonical); a new series is
    created when `data.new_series_title` is set.
    """
    now = timezone.now()
    with transaction.atomic():
        work = Work(created_at=now)
        assign_work_fields(work, data)
        # Everything known before the chapters exist goes in the one INSERT (a new work has no
        # rows to compare with, so the per-field updates of editing would only cost queries).
        work.adult = data.rating.name in ADULT_RATINGS
        if post:
            work.posted = True
            work.published_at = data.backdate or now.date()
            work.revised_at = data.revised_at or now
        work.save()
        WorkStats.objects.create(work=work)
        Creatorship.objects.bulk_create(
            Creatorship(work=work, pseud=pseud, position=position)
            for position, pseud in enumerate(data.pseuds)
        )
        _set_tags(work, data, new=True)
        _rebuild_filters(work)
        published = (data.backdate or now.date()) if post else None
        chapters = Chapter.objects.bulk_create(
            Chapter(
                work=work,
                position=position,
                created_at=now,
                posted=post,
                published_at=published,
                **chapter_fields(each),
            )
            for position, each in enumerate([chapter, *more_chapters], start=1)
        )
        _set_series(work, data)
        _refresh(work, chapters=chapters, in_series=bool(data.series or data.new_series_title))
        if post:
            do_record_new_work(work)
    return work


def do_update_work(work: Work, data: WorkInput, *, chapter: ChapterInput | None = None) -> Work:
    """Change a work's metadata (and, for one-shots edited on the same form, its text)."""
    with transaction.atomic():
        assign_work_fields(work, data)
        work.save()
        _set_creators(work, data.pseuds)
        _set_tags(work, data)
        _rebuild_filters(work)
        if chapter is not None:
            first = Chapter.objects.filter(work=work).order_by("position").first()
            if first is not None:
                _update_chapter_row(first, chapter)
        joined = _set_series(work, data)
        if data.backdate and work.posted:
            work.published_at = data.backdate
            work.save(update_fields=["published_at"])
        _refresh(work)
        if joined is not None and work.posted:
            do_record_series_addition(work, joined)
    return work


def do_post_work(work: Work) -> Work:
    """Post a draft work and every chapter it has; its subscribers (its creators' and its
    series') hear of a new work."""
    now = timezone.now()
    with transaction.atomic():
        was_draft = not work.posted
        _post(work, now)
        _refresh(work)
        if was_draft:
            do_record_new_work(work)
    return work


def do_delete_work(work: Work) -> None:
    """Delete a work with its chapters; its series close the gap it leaves."""
    work_id = work.pk
    with transaction.atomic():
        series_ids = list(SerialWork.objects.filter(work=work).values_list("series_id", flat=True))
        get_engine().delete([work_id])
        tag_ids = work_tag_ids([work_id])
        work.delete()
        refresh_tag_audience(tag_ids)
        for series_id in series_ids:
            serials = SerialWork.objects.filter(series_id=series_id).order_by("position", "id")
            for position, serial in enumerate(serials, start=1):
                if serial.position != position:
                    serial.position = position
                    serial.save(update_fields=["position"])
        _bump_series_works(series_ids)
        expire_work_pages([work_id])
        transaction.on_commit(lambda: expire_work_pages([work_id]))


def do_add_chapter(work: Work, chapter: ChapterInput, *, post: bool) -> Chapter:
    """Append a chapter; posting it makes the work's "Date Updated" now."""
    now = timezone.now()
    with transaction.atomic():
        last = Chapter.objects.filter(work=work).aggregate(last=Max("position"))["last"] or 0
        row = Chapter.objects.create(
            work=work, position=last + 1, created_at=now, **chapter_fields(chapter)
        )
        if post and work.posted:
            _post_chapter_row(row, now)
            work.revised_at = now
            work.save(update_fields=["revised_at"])
        _refresh(work)
        if row.posted:
            do_record_new_chapter(row)
    return row


def do_update_chapter(chapter: Chapter, data: ChapterInput) -> Chapter:
    with transaction.atomic():
        _update_chapter_row(chapter, data)
        _refresh(chapter.work)
    return chapter


def do_post_chapter(chapter: Chapter) -> Chapter:
    """Post a draft chapter of a posted work."""
    now = timezone.now()
    with transaction.atomic():
        _post_chapter_row(chapter, now)
        work = chapter.work
        work.revised_at = now
        work.save(update_fields=["revised_at"])
        _refresh(work)
        do_record_new_chapter(chapter)
    return chapter


def do_delete_chapter(chapter: Chapter) -> None:
    """Delete a chapter and close the gap in positions. The last chapter cannot go: delete
    the work instead (the view says so)."""
    with transaction.atomic():
        work = chapter.work
        chapter.delete()
        _renumber(work, list(Chapter.objects.filter(work=work).order_by("position")))
        _refresh(work)


def do_reorder_chapters(work: Work, chapter_ids: list[int]) -> None:
    """Put the work's chapters in the given order (every chapter id exactly once)."""
    with transaction.atomic():
        by_id = {chapter.pk: chapter for chapter in Chapter.objects.filter(work=work)}
        if sorted(by_id) != sorted(chapter_ids):
            raise ValueError("The new order must name every chapter exactly once.")
        _renumber(work, [by_id[chapter_id] for chapter_id in chapter_ids])
        _refresh(work)


def do_update_series(series: Series, *, title: str, summary: str, notes: str, complete: bool):
    with transaction.atomic():
        series.title, series.summary, series.notes = title, summary, notes
        series.complete = complete
        series.updated_at = timezone.now()
        series.save()
        _bump_series_works([series.pk])
    return series


def assign_work_fields(work: Work, data: WorkInput) -> None:
    """Set the work's own fields from the input, without saving (the actions save; the
    preview of an edit shows an unsaved copy, previews.py)."""
    for name in _WORK_FIELDS:
        setattr(work, name, getattr(data, name))
    work.title_sort_key = title_sort_key(data.title)[:TITLE_SORT_MAX]


def chapter_fields(data: ChapterInput) -> dict:
    """A chapter row's fields from the input (for create, update and the unsaved preview)."""
    return {
        "title": data.title,
        "summary": data.summary,
        "notes": data.notes,
        "endnotes": data.endnotes,
        "content": data.content,
        "word_count": data.word_count,
    }


# Internals ------------------------------------------------------------------------------


def _update_chapter_row(chapter: Chapter, data: ChapterInput) -> None:
    for name, value in chapter_fields(data).items():
        setattr(chapter, name, value)
    chapter.save()


def _set_creators(work: Work, pseuds: list[Pseud]) -> None:
    Creatorship.objects.filter(work=work).exclude(pseud__in=pseuds).delete()
    existing = set(Creatorship.objects.filter(work=work).values_list("pseud_id", flat=True))
    for position, pseud in enumerate(pseuds):
        if pseud.pk in existing:
            Creatorship.objects.filter(work=work, pseud=pseud).update(position=position)
        else:
            Creatorship.objects.create(work=work, pseud=pseud, position=position)


def _rebuild_filters(work: Work) -> None:
    rebuild_work_filters(work.pk)  # _refresh reindexes the work


def _set_tags(work: Work, data: WorkInput, *, new: bool = False) -> None:
    tags: list[Tag] = [data.rating, *data.warnings, *data.categories]
    for tag_type, names in (
        (TagType.FANDOM, data.fandoms),
        (TagType.RELATIONSHIP, data.relationships),
        (TagType.CHARACTER, data.characters),
        (TagType.FREEFORM, data.freeforms),
    ):
        tags.extend(do_find_or_create_tags(names, tag_type))
    wanted = list(dict.fromkeys(tag.pk for tag in tags))
    current = (
        []
        if new
        else list(Tagging.objects.filter(work=work).order_by("id").values_list("tag_id", flat=True))
    )
    if current != wanted:
        # Taggings keep the writer's order, so a changed list is rewritten whole.
        if current:
            Tagging.objects.filter(work=work).delete()
        Tagging.objects.bulk_create([Tagging(work=work, tag_id=tag_id) for tag_id in wanted])
        # A tag this work no longer uses may now be used by nothing others can see (the
        # work's remaining tags are refreshed with its version bump).
        refresh_tag_audience(set(current) - set(wanted))
    adult = data.rating.name in ADULT_RATINGS
    if work.adult != adult:
        work.adult = adult
        work.save(update_fields=["adult"])


def _set_series(work: Work, data: WorkInput) -> Series | None:
    """Put the work in the form's series; return that series if the work was not in it."""
    series = data.series
    if series is None and data.new_series_title:
        series = Series.objects.create(title=data.new_series_title)
    if series is None:
        return None
    series.pseuds.add(*data.pseuds)
    serial = SerialWork.objects.filter(series=series, work=work).first()
    others = list(
        SerialWork.objects.filter(series=series).exclude(work=work).order_by("position", "id")
    )
    position = data.series_position or (serial.position if serial else len(others) + 1)
    position = max(1, min(position, len(others) + 1))
    joined = serial is None
    if serial is None:
        serial = SerialWork(series=series, work=work, position=position)
    # Positions stay 1..n without gaps: the others fill the places around the moved work.
    ordered = [*others[: position - 1], serial, *others[position - 1 :]]
    for index, row in enumerate(ordered, start=1):
        if row.pk is None or row.position != index:
            row.position = index
            row.save()
    Series.objects.filter(pk=series.pk).update(updated_at=timezone.now())
    _bump_series_works([series.pk])
    return series if joined else None


def _bump_series_works(series_ids: list[int]) -> None:
    """Series titles and positions show on every member's page and blurb."""
    if series_ids:
        do_bump_work_versions(
            SerialWork.objects.filter(series_id__in=series_ids).values_list("work_id", flat=True)
        )


def _post(
    work: Work,
    now: datetime.datetime,
    *,
    backdate: datetime.date | None = None,
    revised_at: datetime.datetime | None = None,
) -> None:
    for chapter in Chapter.objects.filter(work=work, posted=False):
        _post_chapter_row(chapter, now, backdate=backdate)
    if not work.posted:
        work.posted = True
        work.published_at = backdate or now.date()
        work.revised_at = revised_at or now
        work.save(update_fields=["posted", "published_at", "revised_at"])


def _post_chapter_row(
    chapter: Chapter, now: datetime.datetime, *, backdate: datetime.date | None = None
) -> None:
    chapter.posted = True
    chapter.published_at = chapter.published_at or backdate or now.date()
    chapter.save(update_fields=["posted", "published_at"])


def _renumber(work: Work, chapters: list[Chapter]) -> None:
    for position, chapter in enumerate(chapters, start=1):
        if chapter.position != position:
            chapter.position = position
            chapter.save(update_fields=["position"])


def _refresh(
    work: Work, *, chapters: list[Chapter] | None = None, in_series: bool | None = None
) -> None:
    """Recompute what is derived from the chapters, and bump the version.

    A caller that has just written every chapter row of the work (creating it) passes them,
    and whether the work may be in a series; the same figures then come without asking.
    """
    if chapters is None:
        # A chapter staff hid is out of the counts, as a draft is (readers don't see it).
        posted = Q(posted=True, hidden_by_admin=False)
        totals = Chapter.objects.filter(work=work).aggregate(
            words=Sum("word_count", filter=posted),
            count=Count("id", filter=posted),
            all=Count("id"),
        )
        work.last_chapter_id = (
            Chapter.objects.filter(work=work, posted=True, hidden_by_admin=False)
            .order_by("-position")
            .values_list("id", flat=True)
            .first()
        )
    else:
        shown = sorted(
            (row for row in chapters if row.posted and not row.hidden_by_admin),
            key=lambda row: row.position,
        )
        totals = {
            "words": sum(row.word_count for row in shown),
            "count": len(shown),
            "all": len(chapters),
        }
        work.last_chapter_id = shown[-1].pk if shown else None
    work.word_count = totals["words"] or 0
    work.posted_chapter_count = totals["count"] or 0
    # Draft chapters count here, as on AO3: a work never expects fewer chapters than it has,
    # so a one-shot with a draft second chapter is shown (and previewed) as chaptered.
    if work.expected_chapters is not None and totals["all"] > work.expected_chapters:
        work.expected_chapters = totals["all"]
    work.complete = (
        work.expected_chapters is not None and work.posted_chapter_count == work.expected_chapters
    )
    work.save(
        update_fields=[
            "word_count",
            "posted_chapter_count",
            "last_chapter_id",
            "expected_chapters",
            "complete",
            "updated_at",
        ]
    )
    # Series neighbours ("Next Work ->") depend on this work's visibility, so the other works
    # of its series show something new too.
    series_ids = []
    if in_series is not False:
        series_ids = list(SerialWork.objects.filter(work=work).values_list("series_id", flat=True))
    _bump_series_works(series_ids)
    if not series_ids:
        do_bump_work_versions([work.pk])
    if not refresh_is_deferred():
        work.refresh_from_db(fields=["version"])


def do_set_hidden_by_admin(work: Work, *, hidden: bool) -> Work:
    """Hide a work from everyone but its creators and admins (or show it again)."""
    with transaction.atomic():
        work.hidden_by_admin = hidden
        work.save(update_fields=["hidden_by_admin", "updated_at"])
        _refresh(work)
    return work


def do_set_chapter_hidden(chapter: Chapter, *, hidden: bool) -> Chapter:
    """Hide a chapter from readers (or show it again): it leaves the work's page, index,
    downloads, chapter and word counts, with its comments, as a draft chapter would; its
    creators and staff still read it. The work stays. Bumps the work's version."""
    with transaction.atomic():
        chapter.hidden_by_admin = hidden
        chapter.save(update_fields=["hidden_by_admin", "updated_at"])
        _refresh(Work.objects.get(pk=chapter.work_id))
    return chapter


def do_set_series_hidden(series: Series, *, hidden: bool) -> Series:
    """Hide a series from everyone but its creators and staff (or show it again). Its works
    stay; their pages and blurbs stop naming it, so their versions are bumped."""
    with transaction.atomic():
        series.hidden_by_admin = hidden
        series.save(update_fields=["hidden_by_admin"])
        _bump_series_works([series.pk])
    return series
