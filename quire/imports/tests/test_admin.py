"""The staff's "resume" action on import batches: the task is enqueued once the action's
transaction commits, never before (a worker must find the batch as committed)."""

from types import SimpleNamespace

import pytest

from quire.imports import admin as imports_admin
from quire.imports.actions import do_create_batch
from quire.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_resuming_a_batch_enqueues_its_task_on_commit(
    alice, admin_client_, monkeypatch, django_capture_on_commit_callbacks
):
    batch = do_create_batch(
        alice, pseud=alice.pseuds.get(), restricted=False, files=[("a.html", b"<html></html>")]
    )
    done = do_create_batch(alice, pseud=alice.pseuds.get(), restricted=False, files=[])
    ImportBatch.objects.filter(pk=done.pk).update(finished_at="2026-01-01T00:00:00Z")
    enqueued: list[int] = []
    monkeypatch.setattr(imports_admin, "import_batch", SimpleNamespace(enqueue=enqueued.append))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client_.post(
            "/admin/imports/importbatch/",
            {"action": "resume", "_selected_action": [batch.pk, done.pk]},
        )
        assert enqueued == []
    assert response.status_code == 302
    for callback in callbacks:
        callback()
    assert enqueued == [batch.pk]
