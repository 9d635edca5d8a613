"""Enqueueing background tasks from inside a write, for every app.

A task enqueued inside a transaction may start before that transaction commits (any queue but
the database's), read the rows as they were, and do nothing; or the transaction rolls back and
the task runs for a change that never happened. Enqueue on commit instead: the task then sees
what the write wrote, and a rolled-back write enqueues nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.transaction import on_commit


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` with these arguments once the current transaction commits (at once
    outside a transaction)."""
    # A module-level name looked up at call time, so the test suite, whose transactions never
    # commit, can run tasks at once instead (quire/conftest.py).
    on_commit(partial(task.enqueue, *args, **kwargs))
