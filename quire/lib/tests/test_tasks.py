"""lib.tasks.enqueue_on_commit: a task enqueued inside a write is enqueued only once the write
commits, and not at all if it rolls back."""

import pytest
from django.db import transaction

from quire.lib import tasks
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self):
        self.calls = []

    def enqueue(self, *args, **kwargs):
        self.calls.append((args, kwargs))


@pytest.fixture
def real_on_commit(monkeypatch):
    # The suite enqueues at once (conftest); these tests check the real behaviour.
    monkeypatch.setattr(tasks, "on_commit", transaction.on_commit)


def test_it_enqueues_only_once_the_transaction_commits(
    real_on_commit, django_capture_on_commit_callbacks
):
    task = Recorder()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_on_commit(task, 1, two=2)
        assert task.calls == []
    assert task.calls == [((1,), {"two": 2})]


def test_it_enqueues_nothing_when_the_transaction_rolls_back(
    real_on_commit, django_capture_on_commit_callbacks
):
    task = Recorder()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        tasks.enqueue_on_commit(task)
        transaction.set_rollback(True)
    assert callbacks == []
    assert task.calls == []


def test_a_wrangling_change_enqueues_the_filter_rebuild_on_commit(
    real_on_commit, django_capture_on_commit_callbacks, monkeypatch
):
    from quire.tags import actions

    task = Recorder()
    monkeypatch.setattr(actions, "rebuild_pending_filters", task)
    tag = do_find_or_create_tags(["Someone"], TagType.CHARACTER)[0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_set_canonical(tag, True)
        assert task.calls == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert task.calls == [((), {})]
