"""Periodic tasks queued by the events they serve (a hit, a posting), once per interval
rather than once per event: the first event of each interval claims it and queues the task,
deferred to the interval's end where the task backend can defer."""

from datetime import timedelta

from django.core.cache import caches
from django.utils import timezone


def claim_interval(key: str, interval: int) -> bool:
    """Whether this caller is the first in `interval` seconds (per cache) to ask for `key`:
    periodic tasks are queued by the first event of each interval, not by every event.
    An interval of 0 or less claims nothing (a command, or cron, runs the task)."""
    return interval > 0 and caches["default"].add(key, 1, timeout=interval)


def deferred(task, seconds: int):
    """`task` set to run `seconds` from now, where the task backend can defer."""
    if task.get_backend().supports_defer:
        return task.using(run_after=timezone.now() + timedelta(seconds=seconds))
    return task
