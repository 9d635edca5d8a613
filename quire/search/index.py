"""The search index's ONE writer: reindex_works(work_ids) makes WorkDoc, the full-text words and
the facet generations match the works as they are now.

Called in the writing transaction by everything that changes what a listing shows:
works.versions.do_bump_work_versions (every change to a work's page or blurb), the filter
table's writer (tags.filters.rebuild_filters, so wrangling reaches the packs) and
forget_works just before a work is deleted. Which works are listable, and to whom, is asked of
works.queries.visible_works, never decided here.
"""

import calendar
import hashlib
from collections.abc import Iterable, Iterator

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F

from quire.tags.models import FilterTagging
from quire.works.models import Creatorship, Tagging, Work
from quire.works.queries import ANY_REGISTERED_READER, visible_works

from .engines import fulltext
from .engines.facets import pack_tags, unpack_tag_ids
from .models import FacetGeneration, WorkDoc

CHUNK = 500
ARCHIVE_TAG = 0  # FacetGeneration row standing for /works, the whole archive


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def reindex_works(work_ids: Iterable[int]) -> None:
    """Bring these works' index rows up to date (creating or removing them as needed)."""
    for chunk in _chunks(sorted(set(work_ids))):
        _reindex_chunk(chunk)


def forget_works(work_ids: Iterable[int]) -> None:
    """Remove works about to be deleted, bumping the facets they were counted in."""
    ids = sorted(set(work_ids))
    for chunk in _chunks(ids):
        old = _old_docs(chunk)
        WorkDoc.objects.filter(work_id__in=chunk).delete()
        with connection.cursor() as cursor:
            fulltext.delete_documents(cursor, chunk)
        bumped = {tag for _, tags in old.values() for tag in tags}
        if old:
            bumped.add(ARCHIVE_TAG)
        bump_generations(bumped)


def _old_docs(chunk: list[int]) -> dict[int, tuple[bool, set[int]]]:
    """(audience, filter tags) of the index rows these works have now."""
    return {
        work_id: (public, unpack_tag_ids(bytes(tags)))
        for work_id, public, tags in WorkDoc.objects.filter(work_id__in=chunk).values_list(
            "work_id", "public", "tags"
        )
    }


DOC_FIELDS = [field.attname for field in WorkDoc._meta.concrete_fields]


def _row(values) -> tuple:
    return tuple(bytes(value) if isinstance(value, memoryview) else value for value in values)


def _reindex_chunk(chunk: list[int]) -> None:
    listable = set(
        visible_works(ANY_REGISTERED_READER).filter(pk__in=chunk).values_list("pk", flat=True)
    )
    public = set(visible_works(AnonymousUser()).filter(pk__in=chunk).values_list("pk", flat=True))
    old = {
        row[0]: _row(row)
        for row in WorkDoc.objects.filter(work_id__in=chunk).values_list(*DOC_FIELDS)
    }
    docs, texts = _build_docs(sorted(listable), public)
    new = {doc.work_id: doc for doc in docs}
    new_rows = {
        work_id: _row(getattr(doc, name) for name in DOC_FIELDS) for work_id, doc in new.items()
    }
    # Only what changed is written: rebuilding an unchanged archive writes nothing.
    changed = [work_id for work_id in chunk if old.get(work_id) != new_rows.get(work_id)]
    if not changed:
        return
    digest_at = DOC_FIELDS.index("text_digest")
    text_changed = [
        work_id
        for work_id in changed
        if work_id not in new
        or work_id not in old
        or old[work_id][digest_at] != new[work_id].text_digest
    ]
    WorkDoc.objects.filter(work_id__in=changed).delete()
    WorkDoc.objects.bulk_create([new[work_id] for work_id in changed if work_id in new])
    with connection.cursor() as cursor:
        fulltext.delete_documents(cursor, text_changed)
        fulltext.write_documents(
            cursor, {work_id: texts[work_id] for work_id in text_changed if work_id in texts}
        )

    # A listing's cached facets count every tag of every work under it, so a work whose
    # tags, audience or presence changed makes stale every listing it was or is under.
    tags_at = DOC_FIELDS.index("tags")
    public_at = DOC_FIELDS.index("public")
    bumped: set[int] = set()
    for work_id in changed:
        before, after = old.get(work_id), new_rows.get(work_id)
        keys = [(row[public_at], row[tags_at]) if row else None for row in (before, after)]
        if keys[0] == keys[1]:
            continue
        bumped.add(ARCHIVE_TAG)
        for row in (before, after):
            if row is not None:
                bumped |= unpack_tag_ids(row[tags_at])
    bump_generations(bumped)


def _build_docs(ids: list[int], public: set[int]) -> tuple[list[WorkDoc], dict]:
    if not ids:
        return [], {}
    creators: dict[int, list[tuple[str, str]]] = {}
    for work_id, pseud, login in (
        Creatorship.objects.filter(work_id__in=ids)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "pseud__name", "pseud__user__username")
    ):
        creators.setdefault(work_id, []).append((pseud, login))
    tag_names: dict[int, list[str]] = {}
    # In a fixed order (the writer's, then the filter tags by id): the tags field is one run
    # of words, so a phrase may span two names, and which does must not depend on a plan.
    for work_id, name in (
        Tagging.objects.filter(work_id__in=ids).order_by("id").values_list("work_id", "tag__name")
    ):
        tag_names.setdefault(work_id, []).append(name)
    filter_tags: dict[int, list[tuple[int, str]]] = {}
    for work_id, tag_id, tag_type, name in (
        FilterTagging.objects.filter(work_id__in=ids)
        .order_by("tag_id")
        .values_list("work_id", "tag_id", "tag__type", "tag__name")
    ):
        filter_tags.setdefault(work_id, []).append((tag_id, tag_type))
        tag_names.setdefault(work_id, []).append(name)

    docs, texts = [], {}
    for work in Work.objects.filter(pk__in=ids).values(
        "pk",
        "title",
        "summary",
        "notes",
        "anonymous",
        "language_id",
        "complete",
        "crossover",
        "posted_chapter_count",
        "word_count",
        "revised_at",
        "published_at",
        "title_sort_key",
    ):
        work_id = work["pk"]
        names = creators.get(work_id, [])
        if work["anonymous"]:
            # Nothing about an anonymous work may lead back to its creators.
            byline, sort_name = "Anonymous", "anonymous"
        else:
            byline = " ".join(f"{pseud} {login}" for pseud, login in names)
            sort_name = ", ".join(pseud for pseud, _ in names).casefold()
        text = {
            "title": work["title"],
            "creators": byline,
            "summary": work["summary"],
            "notes": work["notes"],
            "tags": " ".join(dict.fromkeys(tag_names.get(work_id, []))),
        }
        docs.append(
            WorkDoc(
                work_id=work_id,
                public=work_id in public,
                anonymous=work["anonymous"],
                language_id=work["language_id"],
                complete=work["complete"],
                crossover=work["crossover"],
                chapters=work["posted_chapter_count"],
                word_count=work["word_count"],
                revised_at=_seconds(work["revised_at"]),
                published_at=_day_seconds(work["published_at"]),
                title_sort_key=work["title_sort_key"][:300],
                creator_sort_key=sort_name[:300],
                tags=pack_tags(filter_tags.get(work_id, [])),
                text_digest=_digest(text),
            )
        )
        texts[work_id] = text
    return docs, texts


def _digest(text: dict[str, str]) -> str:
    joined = "\x00".join(text[name] for name in fulltext.FIELDS)
    return hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()


def _seconds(moment) -> int:
    return int(moment.timestamp()) if moment is not None else 0


def _day_seconds(day) -> int:
    return calendar.timegm(day.timetuple()) if day is not None else 0


def bump_generations(tag_ids: set[int]) -> None:
    """Make every cached facet of these tags stale (in the caller's transaction)."""
    ids = sorted(tag_ids)
    for chunk in _chunks(ids, 900):
        FacetGeneration.objects.bulk_create(
            [FacetGeneration(tag_id=tag_id, generation=0) for tag_id in chunk],
            ignore_conflicts=True,
        )
        FacetGeneration.objects.filter(tag_id__in=chunk).update(generation=F("generation") + 1)


def index_missing_after_migrate(**kwargs) -> None:
    """Index every listable work that has no index row yet (an archive from before search)."""
    missing = list(
        visible_works(ANY_REGISTERED_READER)
        .filter(search_doc__isnull=True)
        .values_list("pk", flat=True)
    )
    reindex_works(missing)
