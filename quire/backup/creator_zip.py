"""A creator's own works in one zip: per work its EPUB, its HTML and a JSON file of its
metadata, streamed as it is built so that neither memory nor the first byte waits for the
whole archive.

Works come from `own_works(owner)`: drafts, restricted, anonymous, hidden and unrevealed works
included (they are the creator's), other people's never. The files are the downloads app's
(`quire.downloads`), built from the same `WorkContent`, except that a creator's copy keeps
their draft chapters too. Co-creators appear by pseud and login, as on a work's byline; nothing
else of theirs is read.
"""

import json
import zipfile
from collections.abc import Iterator

from quire.downloads.formats import epub, html
from quire.downloads.names import work_file_name
from quire.downloads.queries import WorkContent, work_contents
from quire.works.models import Chapter
from quire.works.queries import own_works

# Works read and rendered together: a fixed number of queries per batch (see
# tests/test_creator_zip.py), and one batch of works in memory at a time.
BATCH = 20
METADATA_VERSION = 1


class _Sink:
    """A write-only file the zip writes into, emptied by each `take()`. zipfile sees it cannot
    seek and writes each member's sizes after its data instead."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts = []
        return data


def zip_file_name(owner) -> str:
    return f"{owner.username}_works.zip"


def stream_works_zip(owner) -> Iterator[bytes]:
    """The bytes of the zip of `owner`'s works, in pieces of about one work."""
    sink = _Sink()
    ids = list(own_works(owner).order_by("pk").values_list("pk", flat=True))
    taken: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for start in range(0, len(ids), BATCH):
            for content in _contents(owner, ids[start : start + BATCH]):
                name = _unique_name(content, taken)
                # An EPUB is a zip already: stored, not squeezed again.
                bundle.writestr(f"{name}.epub", epub.render(content), zipfile.ZIP_STORED)
                bundle.writestr(f"{name}.html", html.render(content))
                metadata = json.dumps(work_metadata(content), ensure_ascii=False, indent=2)
                bundle.writestr(f"{name}.json", metadata + "\n")
                yield sink.take()
    yield sink.take()


def _contents(owner, ids: list[int]) -> list[WorkContent]:
    works = list(own_works(owner).filter(pk__in=ids).select_related("stats").order_by("pk"))
    contents = work_contents(works)
    every_chapter: dict[int, list[Chapter]] = {}
    for chapter in Chapter.objects.filter(work_id__in=ids).order_by("work_id", "position"):
        every_chapter.setdefault(chapter.work_id, []).append(chapter)
    for content in contents:
        content.chapters = every_chapter.get(content.work.pk, [])
    return contents


def _unique_name(content: WorkContent, taken: set[str]) -> str:
    """AO3's file name, or, when another work in the zip has it already, that name followed by
    the work's id."""
    name = work_file_name(content.work)
    if name.lower() in taken:
        name = f"{name}_Work_{content.work.pk}"
    taken.add(name.lower())
    return name


def work_metadata(content: WorkContent) -> dict:
    work = content.work
    tags: dict[str, list[str]] = {}
    for tagging in work.taggings.all():
        tags.setdefault(tagging.tag.type, []).append(tagging.tag.name)
    stats = getattr(work, "stats", None)
    return {
        "metadata_version": METADATA_VERSION,
        "id": work.pk,
        "title": work.title,
        "url": content.work_url,
        "creators": [
            {"pseud": creatorship.pseud.name, "login": creatorship.pseud.user.username}
            for creatorship in work.creatorships.all()
        ],
        "tags": tags,
        "language": {"code": work.language.code, "name": work.language.name},
        "published": work.published_at.isoformat() if work.published_at else None,
        "updated": work.revised_at.isoformat() if work.revised_at else None,
        "created": work.created_at.isoformat(),
        "words": work.word_count,
        "chapters": {
            "posted": work.posted_chapter_count,
            "expected": work.expected_chapters,
            "complete": work.complete,
            "list": [
                {
                    "position": chapter.position,
                    "title": chapter.title,
                    "posted": chapter.posted,
                    "words": chapter.word_count,
                }
                for chapter in content.chapters
            ],
        },
        "summary": work.summary,
        "notes": work.notes,
        "endnotes": work.endnotes,
        "series": [
            {"id": place.series.pk, "title": place.series.title, "position": place.position}
            for place in content.series
        ],
        "draft": not work.posted,
        "restricted": work.restricted,
        "anonymous": work.anonymous,
        "hidden_by_admin": work.hidden_by_admin,
        "in_unrevealed_collection": work.in_unrevealed_collection,
        "stats": {
            "hits": stats.hits,
            "kudos": stats.kudos_count,
            "comments": stats.comments_count,
            "bookmarks": stats.bookmarks_count,
        }
        if stats
        else None,
    }
