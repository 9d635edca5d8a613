"""The preview of an edit: the work page as the checked input would make it, never saved.

AO3's rule is that readers see nothing of an edit to a posted work until its creator presses
Update. So previewing touches no row at all: not the work, its chapters, taggings or
creatorships, not its version, the fragment and guest-page caches keyed on it, or the search
index. The page is rendered from in-memory copies of the rows with the unsaved input applied
(built here), and it carries the raw input back in hidden fields (templates/works/
_preview_form.html): Update posts them to the edit view, which checks them again and saves
exactly what was shown; Edit returns to the form with them; Cancel is a link away, leaving
nothing behind. The alternative, a saved shadow copy swapped in on Update, would need a
second set of rows, their cleanup and a merge; the hidden fields are AO3's own design.
"""

import copy

from quire.tags.fixed import ADULT_RATINGS
from quire.tags.models import Tag, TagType

from .actions import ChapterInput, WorkInput, assign_work_fields, chapter_fields
from .models import Chapter, Creatorship, Work
from .presenters import TagGroup, group_tags


def preview_work(
    work: Work, data: WorkInput, *, chapters: list[Chapter], text: ChapterInput | None
) -> tuple[Work, list[Chapter], list[TagGroup]]:
    """An unsaved copy of `work` with `data` applied, its chapters (the first with `text`,
    when the form edits a one-shot's text) and its tag groups, as they would be shown."""
    shown = copy.copy(work)
    assign_work_fields(shown, data)
    shown.adult = data.rating.name in ADULT_RATINGS
    if text is not None and chapters:
        chapters = [preview_chapter(chapters[0], text), *chapters[1:]]
    _derive(shown, chapters)
    # The byline reads `work.creatorships.all`: answer it from the form's pseuds, unsaved.
    creators = Creatorship.objects.none()
    creators._result_cache = [
        Creatorship(work=shown, pseud=pseud, position=position)
        for position, pseud in enumerate(data.pseuds)
    ]
    creators._prefetch_done = True  # type: ignore[attr-defined]
    shown._prefetched_objects_cache = {"creatorships": creators}  # type: ignore[attr-defined]
    return shown, chapters, group_tags(_tags(data))


def preview_chapter(chapter: Chapter, data: ChapterInput) -> Chapter:
    """An unsaved copy of `chapter` with `data` applied."""
    shown = copy.copy(chapter)
    for name, value in chapter_fields(data).items():
        setattr(shown, name, value)
    return shown


def preview_chapter_in_work(work: Work, old: Chapter, new: Chapter) -> Work:
    """An unsaved copy of `work` whose word count has `new` in place of `old`."""
    shown = copy.copy(work)
    if old.posted:
        shown.word_count = work.word_count - old.word_count + new.word_count
    return shown


def _derive(work: Work, chapters: list[Chapter]) -> None:
    # What works.actions' refresh derives from the chapters, for the copy.
    posted = [chapter for chapter in chapters if chapter.posted]
    work.word_count = sum(chapter.word_count for chapter in posted)
    if work.expected_chapters is not None and len(chapters) > work.expected_chapters:
        work.expected_chapters = len(chapters)
    work.complete = (
        work.expected_chapters is not None and work.posted_chapter_count == work.expected_chapters
    )


def _tags(data: WorkInput) -> list[Tag]:
    # User tags are shown by the names typed; saving may find them under an existing tag
    # (or as "NAME - Type"), which the preview need not ask the database about.
    tags = [data.rating, *data.warnings, *data.categories]
    for tag_type, names in (
        (TagType.FANDOM, data.fandoms),
        (TagType.RELATIONSHIP, data.relationships),
        (TagType.CHARACTER, data.characters),
        (TagType.FREEFORM, data.freeforms),
    ):
        tags.extend(Tag(name=name, type=tag_type) for name in names)
    return tags
