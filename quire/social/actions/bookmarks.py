"""Writes of bookmarks (of works and of series) and the public bookmark count."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.lib.sanitize import format_user_text
from quire.tags.actions import do_find_or_create_tags
from quire.tags.audience import refresh_tag_audience
from quire.tags.models import Tag, TagType
from quire.tags.names import tag_key
from quire.tags.queries import tags_by_names
from quire.works.models import Series, Work, WorkStats
from quire.works.pagecache import expire_work_pages

from ..models import Bookmark


class BookmarkExists(Exception):
    """The user already bookmarked this work (or series); `bookmark` is that bookmark."""

    def __init__(self, bookmark: Bookmark) -> None:
        noun = "work" if bookmark.work_id else "series"
        super().__init__(f"You have already bookmarked this {noun}.")
        self.bookmark = bookmark


@dataclass
class BookmarkInput:
    """A validated bookmark form (social.forms.BookmarkForm): notes as typed, tag names."""

    pseud: Pseud
    notes: str = ""
    tag_names: list[str] = field(default_factory=list)
    rec: bool = False
    private: bool = False


def _bookmark_tags(names: list[str]) -> list[Tag]:
    """Bookmarkers' tags are ordinary tags: an existing tag of any type is used as it is; an
    unknown name becomes an unsorted tag, as on AO3."""
    existing = tags_by_names(names)
    missing = [name for name in names if tag_key(name) not in existing]
    created = {tag_key(tag.name): tag for tag in do_find_or_create_tags(missing, TagType.UNSORTED)}
    tags: list[Tag] = []
    for name in names:
        tag = existing.get(tag_key(name)) or created.get(tag_key(name))
        if tag is not None and tag not in tags:
            tags.append(tag)
    return tags


def _change_public_count(work_id: int | None, delta: int) -> None:
    """Add `delta` to the work's public bookmark count (F(), inside the caller's transaction)
    and expire its guest pages, which show the count. Nothing for a series' bookmark
    (work_id None): series keep no counter."""
    if not delta or work_id is None:
        return
    WorkStats.objects.filter(work_id=work_id).update(bookmarks_count=F("bookmarks_count") + delta)
    expire_work_pages([work_id])
    transaction.on_commit(lambda: expire_work_pages([work_id]))


def do_create_bookmark(work: Work, *, owner, data: BookmarkInput) -> Bookmark:
    """Bookmark `work` for `owner` with already validated `data`.

    The caller has fetched the work through access_work and checked `data.pseud` is the
    owner's. In one transaction: the bookmark with its sanitized notes and tags, and, for a
    public bookmark, one more in WorkStats.bookmarks_count (guest pages of the work expire).
    Raises BookmarkExists, writing nothing, when the owner already bookmarked the work.
    """
    return _create_bookmark(owner, data, work=work)


def do_create_series_bookmark(series: Series, *, owner, data: BookmarkInput) -> Bookmark:
    """Bookmark `series` for `owner` with already validated `data`.

    The caller has checked the series is visible to the owner (works.queries.visible_series)
    and that `data.pseud` is theirs. One transaction: the bookmark, its notes and tags. No
    work's count moves (WorkStats.bookmarks_count is of works only). Raises BookmarkExists,
    writing nothing, when the owner already bookmarked the series.
    """
    return _create_bookmark(owner, data, series=series)


def _create_bookmark(owner, data: BookmarkInput, *, work=None, series=None) -> Bookmark:
    try:
        with transaction.atomic():
            bookmark = Bookmark.objects.create(
                owner=owner,
                pseud=data.pseud,
                work=work,
                series=series,
                notes=format_user_text(data.notes),
                rec=data.rec,
                private=data.private,
            )
            tags = _bookmark_tags(data.tag_names)
            bookmark.tags.set(tags)
            refresh_tag_audience(tag.pk for tag in tags)  # a public bookmark shows its tags
            if work is not None:
                # A spammer's bookmark is hidden from the start (moderation): not counted.
                _change_public_count(work.pk, 0 if data.private or owner.spammer else 1)
    except IntegrityError:
        item = {"work": work} if work is not None else {"series": series}
        existing = Bookmark.objects.filter(owner=owner, **item).first()
        if existing is None:
            raise
        raise BookmarkExists(existing) from None
    return bookmark


def do_update_bookmark(bookmark: Bookmark, data: BookmarkInput) -> Bookmark:
    """Replace the bookmark's pseud, notes, tags, rec and privacy with validated `data`.

    The caller fetched the bookmark through access_bookmark (it is the viewer's). Making it
    private or public moves WorkStats.bookmarks_count by one in the same transaction; the
    row is locked first, so two edits racing cannot both move the count.
    """
    with transaction.atomic():
        was_private, hidden, spammer = (
            Bookmark.objects.select_for_update(of=("self",))
            .values_list("private", "hidden_by_admin", "owner__spammer")
            .get(pk=bookmark.pk)
        )
        bookmark.pseud = data.pseud
        bookmark.notes = format_user_text(data.notes)
        bookmark.rec = data.rec
        bookmark.private = data.private
        bookmark.updated_at = timezone.now()
        bookmark.save(update_fields=["pseud", "notes", "rec", "private", "updated_at"])
        former = set(bookmark.tags.values_list("pk", flat=True))
        tags = _bookmark_tags(data.tag_names)
        bookmark.tags.set(tags)
        # Its tags, old and new, may be shown or hidden now (privacy or tags changed).
        refresh_tag_audience(former | {tag.pk for tag in tags})
        # One staff hid, or a spammer's, is out of the count whatever its privacy.
        if not (hidden or spammer):
            _change_public_count(bookmark.work_id, int(was_private) - int(data.private))
    return bookmark


def do_delete_bookmark(bookmark: Bookmark) -> None:
    """Delete the bookmark; a public one leaves WorkStats.bookmarks_count one smaller, in the
    same transaction. Deleting a bookmark already gone does nothing."""
    with transaction.atomic():
        row = (
            Bookmark.objects.select_for_update(of=("self",))
            .filter(pk=bookmark.pk)
            .values_list("private", "hidden_by_admin", "owner__spammer")
            .first()
        )
        if row is None:
            return
        was_private, hidden, spammer = row
        tag_ids = set(bookmark.tags.values_list("pk", flat=True))
        Bookmark.objects.filter(pk=bookmark.pk).delete()
        refresh_tag_audience(tag_ids)
        _change_public_count(bookmark.work_id, 0 if was_private or hidden or spammer else -1)
