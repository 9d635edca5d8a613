"""Filter rebuilds in the background: through django-tasks-db's own worker, as `make run` runs
them. A wrangling change queues its task in its own transaction; a task that fails keeps its
error and leaves its pending rows, so the next run does the work; rebuilds are idempotent and
a big change runs in batches."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from quire.tags import filters
from quire.tags.actions import do_find_or_create_tags, do_make_synonym, do_set_canonical
from quire.tags.models import FilterTagging, PendingFilterRebuild, Tag, TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work
from quire.works.models import Work

pytestmark = pytest.mark.django_db

TASK_PATH = "quire.tags.tasks.rebuild_pending_filters"


@pytest.fixture(autouse=True)
def database_tasks(settings, monkeypatch):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # Between tasks the worker drops stale connections, as a long-running process should;
    # inside a test's transaction that would drop the test database's connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """What `manage.py db_worker --batch` does: run every ready task, then stop."""
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def canonical(name: str, tag_type=TagType.CHARACTER) -> Tag:
    tag = tag_by_name(name) or do_find_or_create_tags([name], tag_type)[0]
    return do_set_canonical(tag, True)


def filter_rows() -> set[tuple[int, int, bool]]:
    return set(FilterTagging.objects.values_list("work_id", "tag_id", "inherited"))


def works_under(tag: Tag) -> set[int]:
    return set(FilterTagging.objects.filter(tag=tag).values_list("work_id", flat=True))


def assert_filters_current() -> None:
    """The table is what a rebuild of every work from the taxonomy gives."""
    before = filter_rows()
    filters.rebuild_filters(Work.objects.values_list("pk", flat=True))
    assert filter_rows() == before


@pytest.fixture
def holmes_works(alice):
    """Sherlock Holmes canonical (its tasks run), and works tagged only "Holmes"."""
    sherlock = canonical("Sherlock Holmes")
    works = [make_work(author=alice, title=f"Case {n}", characters=("Holmes",)) for n in range(7)]
    run_worker()
    DBTaskResult.objects.all().delete()
    return sherlock, {work.pk for work in works}


def test_a_wrangling_change_queues_its_task_and_pending_rows_in_its_own_transaction(
    holmes_works,
):
    sherlock, works = holmes_works
    holmes = tag_by_name("Holmes")
    with pytest.raises(RuntimeError), transaction.atomic():
        do_make_synonym(holmes, sherlock)
        raise RuntimeError("the request failed after the change")
    assert not DBTaskResult.objects.exists()
    assert not PendingFilterRebuild.objects.exists()

    do_make_synonym(holmes, sherlock)
    (task,) = DBTaskResult.objects.all()
    assert (task.task_path, task.status) == (TASK_PATH, "READY")
    assert {holmes.pk, sherlock.pk} <= set(
        PendingFilterRebuild.objects.values_list("tag_id", flat=True)
    )
    assert works_under(sherlock) == set()  # the wrangler's request did not rebuild

    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == len(works)
    assert works_under(sherlock) == works
    assert not PendingFilterRebuild.objects.exists()
    assert_filters_current()


def test_a_failed_task_keeps_its_error_and_the_next_run_does_its_work(
    holmes_works, alice, monkeypatch
):
    sherlock, works = holmes_works
    real_rebuild = filters.rebuild_filters
    calls = []

    def fails_once(work_ids, **options):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return real_rebuild(work_ids, **options)

    monkeypatch.setattr(filters, "rebuild_filters", fails_once)
    do_make_synonym(tag_by_name("Holmes"), sherlock)
    run_worker()
    (failed,) = DBTaskResult.objects.all()
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "builtins.ConnectionError"
    assert "the database went away" in failed.traceback
    assert failed.task_result.errors[0].exception_class_path == "builtins.ConnectionError"
    assert PendingFilterRebuild.objects.filter(tag=sherlock).exists()
    assert works_under(sherlock) == set()

    # The next change's task, about other works, also does the failed one's.
    watson = canonical("John Watson")
    other = make_work(author=alice, title="Elsewhere", characters=("Watson",))
    do_make_synonym(tag_by_name("Watson"), watson)
    run_worker()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert works_under(sherlock) == works
    assert works_under(watson) == {other.pk}
    assert not PendingFilterRebuild.objects.exists()
    assert_filters_current()


def test_manage_rebuild_filters_pending_does_a_failed_tasks_work(holmes_works, monkeypatch):
    sherlock, works = holmes_works

    def broken(work_ids, **options):
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(filters, "rebuild_filters", broken)
        do_make_synonym(tag_by_name("Holmes"), sherlock)
        run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"

    out = io.StringIO()
    call_command("rebuild_filters", "--pending", stdout=out)
    assert out.getvalue().startswith(f"Rebuilt the filters of {len(works)} works for ")
    assert works_under(sherlock) == works
    assert not PendingFilterRebuild.objects.exists()
    assert_filters_current()


def test_a_task_failing_midway_keeps_finished_batches_and_every_pending_row(
    holmes_works, monkeypatch
):
    sherlock, works = holmes_works
    monkeypatch.setattr(filters, "BATCH_SIZE", 2)
    real_batch = filters._rebuild_batch
    batches = []

    def fails_on_the_third(batch, **options):
        batches.append(batch)
        if len(batches) == 3:
            raise ConnectionError("the database went away")
        real_batch(batch, **options)

    with monkeypatch.context() as patch:
        patch.setattr(filters, "_rebuild_batch", fails_on_the_third)
        do_make_synonym(tag_by_name("Holmes"), sherlock)
        run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert len(batches) == 3
    # Two batches of two works committed; the third rolled back; the rest never ran.
    done = {work_id for batch in batches[:2] for work_id in batch}
    assert works_under(sherlock) == done
    assert PendingFilterRebuild.objects.filter(tag=sherlock).exists()

    call_command("rebuild_filters", "--pending", stdout=io.StringIO())
    assert works_under(sherlock) == works
    assert_filters_current()


def test_a_change_to_a_tag_on_many_works_rebuilds_in_batches(holmes_works, monkeypatch):
    sherlock, works = holmes_works
    monkeypatch.setattr(filters, "BATCH_SIZE", 3)
    real_batch = filters._rebuild_batch
    batches = []

    def counted(batch, **options):
        # Each batch is its own transaction: a savepoint here, a commit in the worker.
        assert connection.in_atomic_block
        batches.append(list(batch))
        real_batch(batch, **options)

    monkeypatch.setattr(filters, "_rebuild_batch", counted)
    do_make_synonym(tag_by_name("Holmes"), sherlock)
    run_worker()
    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert sorted(work_id for batch in batches for work_id in batch) == sorted(works)
    assert works_under(sherlock) == works
    assert_filters_current()


def test_rebuilding_again_writes_nothing(holmes_works):
    sherlock, works = holmes_works
    do_make_synonym(tag_by_name("Holmes"), sherlock)
    run_worker()
    rows = filter_rows()
    flags = list(Work.objects.order_by("pk").values_list("crossover", "otp"))

    with CaptureQueriesContext(connection) as queries:
        filters.rebuild_filters(works)
        assert filters.rebuild_pending() == 0
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert filter_rows() == rows
    assert list(Work.objects.order_by("pk").values_list("crossover", "otp")) == flags


def test_manage_rebuild_filters_all_rebuilds_every_work_with_progress(holmes_works):
    sherlock, works = holmes_works
    do_make_synonym(tag_by_name("Holmes"), sherlock)  # its task is left queued
    FilterTagging.objects.all().delete()

    out = io.StringIO()
    call_command("rebuild_filters", "--all", "--batch", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"  2 of {len(works)} works (")
    assert lines[-2].startswith(f"  {len(works)} of {len(works)} works (")
    assert lines[-1].startswith(f"Rebuilt the filters of {len(works)} works in ")
    assert works_under(sherlock) == works
    # The change's pending rows were settled by the rebuild of everything.
    assert not PendingFilterRebuild.objects.exists()
    assert_filters_current()


def test_manage_rebuild_filters_needs_to_be_told_which(holmes_works):
    with pytest.raises(Exception, match="one of the arguments --all --pending is required"):
        call_command("rebuild_filters", stdout=io.StringIO())
