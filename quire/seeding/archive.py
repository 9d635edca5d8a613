"""Writes a planned demo archive in bulk, row for row what the actions would have written.

Posting 10,000 works through do_create_work takes minutes; this writes the same rows with
bulk inserts, one batch of works at a time, in one transaction (a failed seed leaves nothing
behind, so `--if-empty` never mistakes half an archive for a whole one). Users and pseuds go
through the real account actions, since there are few of them.

Where the actions derive a value, this derives it from the same inputs with the same helpers:
`work_input` and `chapter_input` build the actions' own WorkInput and ChapterInput the way the
posting form does, and the work row takes its fields through the same `assign_work_fields` as
do_create_work. What `_set_tags` and `_refresh` compute is mirrored below; the seeding test
replays a plan through the real actions and compares every row, so the two cannot drift
apart unnoticed.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower

from quire.accounts.actions import do_create_pseud, do_create_user
from quire.accounts.models import Pseud, User
from quire.lib.sanitize import format_user_text, strip_html
from quire.lib.wordcount import count_words
from quire.tags.actions import TYPE_SUFFIXES, do_index_tag_words
from quire.tags.audience import refresh_tag_audience
from quire.tags.filters import rebuild_filters
from quire.tags.fixed import ADULT_RATINGS, UNCATEGORIZED_FANDOMS
from quire.tags.models import FIXED_TAG_TYPES, CommonTagging, Tag, TagType
from quire.tags.names import tag_key
from quire.works.actions import ChapterInput, WorkInput, assign_work_fields, chapter_fields
from quire.works.models import (
    Chapter,
    Creatorship,
    Language,
    SerialWork,
    Series,
    Tagging,
    Work,
    WorkStats,
)

from .news import write_welcome_post
from .plan import DEMO_WRANGLER, Plan, PlannedChapter, PlannedSeries, PlannedWork
from .wrangling import plan_wrangling, write_wrangling

# Works per batch: big enough that per-statement overhead vanishes, small enough that one
# batch's chapter text (a few megabytes) is all the prose ever held in memory.
BATCH_SIZE = 250
PseudKey = tuple[str, str]  # (username, pseud name)


class SeedError(Exception):
    """The archive is not one the demo can be written into."""


@dataclass
class Written:
    works: int = 0
    chapters: int = 0
    users: int = 0
    tags: int = 0  # tags created by the seed


def work_input(
    work: PlannedWork,
    *,
    pseuds: dict[PseudKey, Pseud],
    fixed_tags: dict[str, Tag],
    languages: dict[str, Language],
    series: Series | None = None,
    new_series_title: str = "",
) -> WorkInput:
    """The WorkInput the posting form would build from what this work's writer typed."""
    return WorkInput(
        title=strip_html(work.title),
        pseuds=[pseuds[key] for key in work.creators],
        rating=fixed_tags[work.rating],
        warnings=[fixed_tags[name] for name in work.warnings],
        categories=[fixed_tags[name] for name in work.categories],
        fandoms=list(work.fandoms),
        relationships=list(work.relationships),
        characters=list(work.characters),
        freeforms=list(work.freeforms),
        language=languages[work.language],
        summary=format_user_text(work.summary),
        notes=format_user_text(work.notes, allow_class=True),
        endnotes=format_user_text(work.endnotes, allow_class=True),
        restricted=work.restricted,
        comment_permission=work.comment_permission,
        moderated_comments=work.moderated_comments,
        expected_chapters=work.expected_chapters,
        series=series,
        new_series_title=strip_html(new_series_title),
    )


def chapter_input(chapter: PlannedChapter, text: str) -> ChapterInput:
    """The ChapterInput the chapter form would build from this chapter's typed text."""
    content = format_user_text(text, allow_class=True)
    return ChapterInput(
        content=content,
        title=strip_html(chapter.title),
        summary=format_user_text(chapter.summary),
        notes=format_user_text(chapter.notes, allow_class=True),
        endnotes=format_user_text(chapter.endnotes, allow_class=True),
        word_count=count_words(content),
    )


def series_fields(series: PlannedSeries) -> dict:
    """What do_update_series is given when the creator edits the series (views.py's cleaning)."""
    return {
        "title": strip_html(series.title),
        "summary": format_user_text(series.summary),
        "notes": format_user_text(series.notes),
        "complete": series.complete,
    }


def write_archive(
    plan: Plan,
    *,
    demo_password: str,
    wrangler_password: str,
    progress: Callable[[int], None] | None = None,
) -> Written:
    written = Written(users=len(plan.users) + 1)
    with transaction.atomic():
        _check_usernames_free(plan)
        pseuds = _write_users(plan, demo_password)
        write_wrangler(wrangler_password)
        write_welcome_post()
        fixed_tags = {tag.name: tag for tag in Tag.objects.filter(type__in=FIXED_TAG_TYPES)}
        languages = {language.code: language for language in Language.objects.all()}
        tags = _TagFinder()
        with _explicit_timestamps():
            series_rows = _write_series(plan, pseuds)
            for start in range(0, len(plan.works), BATCH_SIZE):
                batch = plan.works[start : start + BATCH_SIZE]
                written.chapters += _write_works(
                    plan,
                    batch,
                    pseuds=pseuds,
                    fixed_tags=fixed_tags,
                    languages=languages,
                    tags=tags,
                    series_rows=series_rows,
                )
                written.works += len(batch)
                if progress is not None:
                    progress(written.works)
        # What the archive's wranglers would have done by now, then the one writer of the
        # filter table over the whole archive, once.
        wrangling = plan_wrangling()
        write_wrangling(wrangling, now=plan.now)
        written.tags = tags.created + len(wrangling.new_tags)
        rebuild_filters(Work.objects.values_list("pk", flat=True))
        # And of who may see each tag (the works were written in bulk, not through the actions).
        refresh_tag_audience(Tag.objects.values_list("pk", flat=True))
    return written


# Users ----------------------------------------------------------------------------------------


def _check_usernames_free(plan: Plan) -> None:
    wanted = {user.username.lower() for user in plan.users} | {DEMO_WRANGLER}
    taken = set(
        User.objects.annotate(lname=Lower("username"))
        .filter(lname__in=wanted)
        .values_list("username", flat=True)
    )
    if taken:
        raise SeedError(
            f"The demo's accounts would clash with existing ones: {', '.join(sorted(taken))}."
        )


def _write_users(plan: Plan, demo_password: str) -> dict[PseudKey, Pseud]:
    """Accounts through the real actions (in joining order), then backdated."""
    pseuds: dict[PseudKey, Pseud] = {}
    users: list[User] = []
    for planned in plan.users:
        password = demo_password if planned.is_demo else None
        user = do_create_user(planned.username, f"{planned.username}@example.org", password)
        if planned.joined_at is not None:  # the plan dates every user; None is its unset state
            user.date_joined = planned.joined_at
        users.append(user)
        rows = [Pseud.objects.get(user=user, is_default=True)]
        rows += [do_create_pseud(user, name) for name in planned.pseuds[1:]]
        for row, created_at in zip(rows, planned.pseud_created_at, strict=True):
            row.created_at = created_at
            pseuds[(planned.username, row.name)] = row
    User.objects.bulk_update(users, ["date_joined"], batch_size=BATCH_SIZE)
    Pseud.objects.bulk_update(list(pseuds.values()), ["created_at"], batch_size=BATCH_SIZE)
    return pseuds


def write_wrangler(password: str) -> User:
    """The demo tag wrangler: an account with no works and the wrangler role."""
    user = do_create_user(DEMO_WRANGLER, f"{DEMO_WRANGLER}@example.org", password)
    user.is_wrangler = True
    user.save(update_fields=["is_wrangler"])
    return user


# Tags -----------------------------------------------------------------------------------------


class _TagFinder:
    """do_find_or_create_tags for a whole batch: the same names resolve to the same tags.

    Works are resolved in posting order and, within a work, type by type as _set_tags does,
    so the spelling that reaches the archive first is the one that exists, and a name taken by
    a tag of another type becomes "NAME - Type". New tags are non-canonical and are inserted
    together in `flush`, in the order they were first used.
    """

    def __init__(self) -> None:
        self.by_name = {tag.name_key: tag for tag in Tag.objects.all()}
        self.pending: list[Tag] = []
        self.created = 0

    def find_or_create(
        self, names: list[str], tag_type: TagType, when: datetime.datetime
    ) -> list[Tag]:
        result: list[Tag] = []
        for name in names:
            tag = self.by_name.get(tag_key(name))
            if tag is not None and tag.type != tag_type:
                tag = self._get_or_new(f"{name} - {TYPE_SUFFIXES[tag_type]}", tag_type, when)
            elif tag is None:
                tag = self._get_or_new(name, tag_type, when)
            if tag not in result:
                result.append(tag)
        return result

    def _get_or_new(self, name: str, tag_type: TagType, when: datetime.datetime) -> Tag:
        tag = self.by_name.get(tag_key(name))
        if tag is None:
            tag = Tag(
                name=name, name_key=tag_key(name), type=tag_type, canonical=False, created_at=when
            )
            self.by_name[tag_key(name)] = tag
            self.pending.append(tag)
        return tag

    def flush(self) -> None:
        Tag.objects.bulk_create(self.pending, batch_size=BATCH_SIZE)
        do_index_tag_words(self.pending)
        # As do_find_or_create_tags does: new fandoms wait in the uncategorized bin.
        uncategorized = Tag.objects.get(name_key=tag_key(UNCATEGORIZED_FANDOMS))
        CommonTagging.objects.bulk_create(
            [
                CommonTagging(parent=uncategorized, child=tag)
                for tag in self.pending
                if tag.type == TagType.FANDOM
            ],
            batch_size=BATCH_SIZE,
        )
        self.created += len(self.pending)
        self.pending = []


_USER_TAG_FIELDS = (
    (TagType.FANDOM, "fandoms"),
    (TagType.RELATIONSHIP, "relationships"),
    (TagType.CHARACTER, "characters"),
    (TagType.FREEFORM, "freeforms"),
)


# Series ---------------------------------------------------------------------------------------


def _write_series(plan: Plan, pseuds: dict[PseudKey, Pseud]) -> dict[int, Series]:
    """Series rows as they stand after their last work joined (and any edit after that)."""
    rows: list[Series] = []
    for planned in plan.series:
        edited = series_fields(planned) if planned.updated_by_creator else {}
        rows.append(
            Series(
                title=strip_html(planned.title),
                summary=edited.get("summary", ""),
                notes=edited.get("notes", ""),
                complete=edited.get("complete", False),
                created_at=planned.created_at,
                updated_at=planned.updated_at,
            )
        )
    Series.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    # Each joining work adds its creators (series.pseuds.add), in posting order.
    links = []
    for planned, row in zip(plan.series, rows, strict=True):
        for pseud_key in dict.fromkeys(key for work in planned.works for key in work.creators):
            links.append(Series.pseuds.through(series_id=row.pk, pseud_id=pseuds[pseud_key].pk))
    Series.pseuds.through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return {id(planned): row for planned, row in zip(plan.series, rows, strict=True)}


# Works ----------------------------------------------------------------------------------------


def _write_works(
    plan: Plan,
    batch: list[PlannedWork],
    *,
    pseuds: dict[PseudKey, Pseud],
    fixed_tags: dict[str, Tag],
    languages: dict[str, Language],
    tags: _TagFinder,
    series_rows: dict[int, Series],
) -> int:
    """Insert one batch of works with everything hanging off them; returns chapters written."""
    prepared = []
    for planned in batch:
        data = work_input(planned, pseuds=pseuds, fixed_tags=fixed_tags, languages=languages)
        chapters = [
            (chapter, chapter_input(chapter, text))
            for chapter, text in zip(planned.chapters, plan.chapter_texts(planned), strict=True)
        ]
        # Tags resolve as _set_tags resolves them, work by work in posting order.
        tag_list = [data.rating, *data.warnings, *data.categories]
        for tag_type, attribute in _USER_TAG_FIELDS:
            tag_list += tags.find_or_create(getattr(data, attribute), tag_type, planned.created_at)
        prepared.append((planned, data, chapters, tag_list))
    tags.flush()

    works = [_work_row(planned, data, chapters) for planned, data, chapters, _ in prepared]
    Work.objects.bulk_create(works, batch_size=BATCH_SIZE)

    stats, creatorships, taggings, chapter_rows, serial_works = [], [], [], [], []
    for work, (planned, data, chapters, tag_list) in zip(works, prepared, strict=True):
        stats.append(WorkStats(work=work))
        creatorships += [
            Creatorship(work=work, pseud=pseud, position=position)
            for position, pseud in enumerate(data.pseuds)
        ]
        # Taggings keep the display order: rating, warnings, categories, then user tags.
        taggings += [
            Tagging(work=work, tag_id=tag_id) for tag_id in dict.fromkeys(t.pk for t in tag_list)
        ]
        chapter_rows += [
            Chapter(
                work=work,
                position=chapter.position,
                posted=chapter.posted,
                published_at=chapter.created_at.date() if chapter.posted else None,
                created_at=chapter.created_at,
                updated_at=chapter.created_at,
                **chapter_fields(data_in),
            )
            for chapter, data_in in chapters
        ]
        if planned.series is not None:
            serial_works.append(
                SerialWork(
                    series=series_rows[id(planned.series)],
                    work=work,
                    position=planned.series_position,
                )
            )
    WorkStats.objects.bulk_create(stats, batch_size=BATCH_SIZE)
    Creatorship.objects.bulk_create(creatorships, batch_size=BATCH_SIZE)
    Tagging.objects.bulk_create(taggings, batch_size=BATCH_SIZE)
    Chapter.objects.bulk_create(chapter_rows, batch_size=BATCH_SIZE)
    SerialWork.objects.bulk_create(serial_works, batch_size=BATCH_SIZE)
    # The newest posted chapter, chosen in SQL exactly as _refresh chooses it.
    Work.objects.filter(pk__in=[work.pk for work in works]).update(
        last_chapter_id=Subquery(
            Chapter.objects.filter(work=OuterRef("pk"), posted=True)
            .order_by("-position")
            .values("id")[:1]
        )
    )
    return len(chapter_rows)


def _work_row(
    planned: PlannedWork, data: WorkInput, chapters: list[tuple[PlannedChapter, ChapterInput]]
) -> Work:
    work = Work(
        created_at=planned.created_at,
        updated_at=planned.updated_at,
        posted=planned.posted,
        published_at=planned.published_at,
        revised_at=planned.revised_at,
        version=planned.version,
    )
    assign_work_fields(work, data)
    # What _set_tags and _refresh derive.
    work.adult = data.rating.name in ADULT_RATINGS
    posted = [data_in for chapter, data_in in chapters if chapter.posted]
    work.word_count = sum(data_in.word_count for data_in in posted)
    work.posted_chapter_count = len(posted)
    # A work never expects fewer chapters than it has, drafts included.
    if work.expected_chapters is not None and len(chapters) > work.expected_chapters:
        work.expected_chapters = len(chapters)
    work.complete = (
        work.expected_chapters is not None and work.posted_chapter_count == work.expected_chapters
    )
    return work


@contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let the backdated timestamps through bulk_create.

    auto_now and auto_now_add overwrite whatever the row carries with the time of the insert,
    and the demo's history is three years long. The seeder runs alone in its process (a
    management command, or a test), so switching them off for the duration is safe.
    """
    fields = [
        Work._meta.get_field("updated_at"),
        Chapter._meta.get_field("updated_at"),
        Tag._meta.get_field("created_at"),
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
