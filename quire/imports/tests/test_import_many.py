"""do_import_files: many files in chunks (a transaction each, a savepoint per file, the filter
rebuild and reindex once a chunk) end exactly as importing each file alone would."""

import random
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from quire.imports import actions
from quire.imports.actions import do_import_file, do_import_files
from quire.imports.models import ImportedWork
from quire.imports.testing import ChapterSpec, WorkSpec, build_html, random_spec
from quire.search.index import DOC_FIELDS, reindex_works
from quire.search.models import WorkDoc
from quire.tags.actions import (
    do_add_metatag,
    do_find_or_create_tags,
    do_make_synonym,
    do_set_canonical,
)
from quire.tags.filters import rebuild_filters
from quire.tags.models import FilterTagging, Tag, TagType
from quire.testing import row_counts
from quire.works.actions import do_delete_work
from quire.works.models import Chapter, Tagging, Work

WORK_FIELDS = [
    "title",
    "crossover",
    "otp",
    "adult",
    "complete",
    "word_count",
    "posted_chapter_count",
    "expected_chapters",
    "published_at",
    "revised_at",
    "version",
]


def pseud_of(user):
    return user.pseuds.get(is_default=True)


def wrangle():
    """A taxonomy the filters must follow: a canonical fandom, a synonym, a metatag."""
    (fandom,) = do_find_or_create_tags(["Sherlock Holmes - Arthur Conan Doyle"], TagType.FANDOM)
    do_set_canonical(fandom, True)
    jo, josephine = do_find_or_create_tags(["Jo March", "Josephine March"], TagType.CHARACTER)
    do_set_canonical(josephine, True)
    josephine.refresh_from_db()
    do_make_synonym(jo, josephine)
    fluff, comfort = do_find_or_create_tags(["Fluff", "Comfort"], TagType.FREEFORM)
    do_set_canonical(fluff, True)
    do_set_canonical(comfort, True)
    fluff.refresh_from_db()
    comfort.refresh_from_db()
    do_add_metatag(fluff, comfort)


def generated_files(count: int, seed: int = 5, *, new_tags: bool = True) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    files = []
    for number in range(count):
        spec = random_spec(rng, 300_000 + 1000 * seed + number)
        if number % 3 == 1:
            spec.fandoms = [*spec.fandoms, "Pride and Prejudice - Jane Austen"]
        if new_tags and number % 4 == 2:
            spec.freeforms = [*spec.freeforms, f"Only In Work {number}"]
        files.append((f"work{number}.html", build_html(spec).encode()))
    return files


def snapshot() -> dict[str, tuple]:
    """Each imported work as listings and search see it, keyed by its source URL."""
    out = {}
    for imported in ImportedWork.objects.select_related("work"):
        work = imported.work
        doc = WorkDoc.objects.filter(work=work).values_list(*DOC_FIELDS).first()
        out[imported.source_url] = (
            tuple(getattr(work, name) for name in WORK_FIELDS),
            Chapter.objects.get(pk=work.last_chapter_id).position,
            sorted(FilterTagging.objects.filter(work=work).values_list("tag_id", "inherited")),
            list(Tagging.objects.filter(work=work).order_by("id").values_list("tag_id", flat=True)),
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in doc[1:]),
        )
    return out


def test_it_imports_many_files_exactly_as_importing_each_alone_would(alice):
    wrangle()
    files = generated_files(8)
    broken = WorkSpec(work_id=399_999, chapters=[ChapterSpec("<p>Fine.</p>"), ChapterSpec("")])
    files.insert(2, ("again.html", files[1][1]))  # the same bytes twice in one chunk
    files.insert(4, ("broken.html", build_html(broken).encode()))

    results = list(do_import_files(files, pseud=pseud_of(alice), chunk=3))
    statuses = [result.status for result in results]
    assert statuses == ["imported"] * 2 + ["skipped", "imported", "failed"] + ["imported"] * 5
    source = results[1].work.imported_from.source_url
    assert results[2].message == f"already imported from {source} as work {results[1].work.pk}"
    together = snapshot()
    assert len(together) == 8
    assert any(key[0][1] for key in together.values())  # some crossovers

    # The one writers, run again over these works, find nothing to change.
    ids = list(Work.objects.values_list("pk", flat=True))
    rebuild_filters(ids)
    reindex_works(ids)
    assert snapshot() == together

    # Imported one at a time (the single-file path, side effects right away), they match.
    for work in Work.objects.all():
        do_delete_work(work)
    for name, data in files:
        do_import_file(name, data, pseud=pseud_of(alice))
    assert snapshot() == together


def test_a_file_that_fails_in_its_savepoint_leaves_nothing_and_its_chunk_goes_on(
    alice, monkeypatch
):
    first = WorkSpec(work_id=1, freeforms=["Made Then Lost"])
    second = WorkSpec(work_id=2, freeforms=["Made Then Lost"], title="Second")
    third = WorkSpec(work_id=3, title="Third")
    real_create = ImportedWork.objects.create

    def create(**fields):
        if fields["source_url"].endswith("/works/1"):
            raise actions.NotAWork("could not be recorded")
        return real_create(**fields)

    monkeypatch.setattr(actions.ImportedWork.objects, "create", create)
    files = [(f"{spec.work_id}.html", build_html(spec).encode()) for spec in (first, second, third)]
    results = list(do_import_files(files, pseud=pseud_of(alice)))

    assert [result.status for result in results] == ["failed", "imported", "imported"]
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Second", "Third"]
    # The tag the failed file created went with it; the next file made it again (not a
    # remembered tag that no longer exists).
    second_work = results[1].work
    assert "Made Then Lost" in second_work.tags.values_list("name", flat=True)
    assert Tag.objects.filter(name="Made Then Lost").count() == 1
    assert WorkDoc.objects.filter(work__in=[results[1].work, results[2].work]).count() == 2


def test_a_source_met_twice_in_one_call_by_its_url_is_imported_once(alice):
    spec = WorkSpec(work_id=77)
    changed = WorkSpec(work_id=77, title="Edited Since")
    files = [("a.html", build_html(spec).encode()), ("b.html", build_html(changed).encode())]
    results = list(do_import_files(files, pseud=pseud_of(alice)))
    assert [result.status for result in results] == ["imported", "skipped"]
    assert Work.objects.count() == 1


def test_a_chunk_whose_shared_end_fails_is_imported_one_file_at_a_time(alice, monkeypatch):
    from quire.works.versions import deferred_work_refresh

    @contextmanager
    def failing_at_the_end():
        with deferred_work_refresh():
            yield
            raise DatabaseError("the chunk's last statement failed")

    monkeypatch.setattr(actions, "deferred_work_refresh", failing_at_the_end)
    files = generated_files(4)
    results = list(do_import_files(files, pseud=pseud_of(alice), chunk=4))
    assert [result.status for result in results] == ["imported"] * 4
    ids = [result.work.pk for result in results]
    assert WorkDoc.objects.filter(work_id__in=ids).count() == 4
    assert FilterTagging.objects.filter(work_id__in=ids).values("work_id").distinct().count() == 4


def test_an_unexpected_error_keeps_the_files_before_it_and_is_raised(alice, monkeypatch):
    files = generated_files(3)
    real = actions.do_create_work
    calls = []

    def create(*args, **kwargs):
        calls.append(1)
        if len(calls) in (2, 4):  # the second file, in the chunk and again on its own
            raise RuntimeError("a bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "do_create_work", create)
    with pytest.raises(RuntimeError):
        list(do_import_files(files, pseud=pseud_of(alice)))
    assert Work.objects.count() == 1 and ImportedWork.objects.count() == 1


def test_queries_per_file_stay_few_and_do_not_grow(alice):
    pseud = pseud_of(alice)
    list(do_import_files(generated_files(2, seed=1), pseud=pseud))  # tags and caches warm
    counts = []
    for seed, size in ((2, 10), (3, 20)):
        before = row_counts(Work)
        with CaptureQueriesContext(connection) as queries:
            files = generated_files(size, seed, new_tags=False)
            results = list(do_import_files(files, pseud=pseud, chunk=size))
        assert [r.status for r in results] == ["imported"] * size, results
        assert row_counts(Work)["Work"] == before["Work"] + size
        counts.append(len(queries))
    # A file costs about a dozen statements (its savepoints, duplicate check and rows) and two
    # for its subscribers' notices; the chunk's shared work (one chunk in each run here) does
    # not grow with its files.
    assert counts[1] - counts[0] <= 10 * 14
