"""Hits: buffered one per work, address and day (do_record_hit), added to the works' counts
by do_flush_hits, which the flush_hits task beside it runs."""

import threading
from collections import Counter, OrderedDict
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from quire.lib.periodic import claim_interval, deferred
from quire.works.models import WorkStats

from ..models import HitBuffer
from ..visitors import hash_ip

FLUSH_BATCH = 1000


# Views already buffered by this process: repeat views from one IP skip the database. The
# unique constraint is the real rule; this only spares a query.
_RECENT_HITS: OrderedDict[tuple, None] = OrderedDict()
_RECENT_HITS_MAX = 50_000
_recent_lock = threading.Lock()


def forget_recent_hits() -> None:
    with _recent_lock:
        _RECENT_HITS.clear()


def _seen_recently(key: tuple) -> bool:
    with _recent_lock:
        if key in _RECENT_HITS:
            return True
        _RECENT_HITS[key] = None
        if len(_RECENT_HITS) > _RECENT_HITS_MAX:
            _RECENT_HITS.popitem(last=False)
        return False


def do_record_hit(work_id: int, ip: str | None) -> None:
    """Buffer a view of `work_id` from `ip` (AO3.md §7: one hit per work per IP per day).

    The caller has decided the view counts (counts_hit: not a draft, not a creator). Never
    touches the work's row or its stats row: one INSERT that ignores a conflict, skipped
    altogether when this process already buffered the same view today. WorkStats.hits grows
    when do_flush_hits runs (scheduled here at most once per QUIRE_HITS_FLUSH_SECONDS).
    """
    if not ip:
        return
    day = timezone.now().date()
    digest = hash_ip(ip)
    if _seen_recently((work_id, digest, day)):
        return
    HitBuffer.objects.bulk_create(
        [HitBuffer(work_id=work_id, ip_hash=digest, day=day)], ignore_conflicts=True
    )
    _schedule_flush()


def _schedule_flush() -> None:
    # One queued flush per interval (per cache), not one per view.
    if not claim_interval("hits:flush-scheduled", settings.HITS_FLUSH_SECONDS):
        return
    transaction.on_commit(deferred(flush_hits, settings.HITS_FLUSH_SECONDS).enqueue)


def do_flush_hits(*, batch_size: int = FLUSH_BATCH) -> int:
    """Move buffered hits into WorkStats.hits; return how many were added.

    Batches of `batch_size` rows, each in its own transaction: the rows are locked (FOR UPDATE
    SKIP LOCKED on PostgreSQL, so flushes running at once take disjoint rows and never wait on
    each other), their per-work counts are added with F(), and they are marked flushed. Rows
    stay until their day is over so later views that day are still recognised; older flushed
    rows are deleted at the end. Safe to run late, twice, or concurrently.
    """
    total = 0
    while True:
        added = _flush_batch(batch_size)
        if added == 0:
            break
        total += added
    yesterday = timezone.now().date() - timedelta(days=1)
    HitBuffer.objects.filter(day__lt=yesterday, flushed=True).delete()
    return total


def _flush_batch(batch_size: int) -> int:
    with transaction.atomic():
        pending = HitBuffer.objects.filter(flushed=False).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        rows = list(pending.values_list("id", "work_id")[:batch_size])
        if not rows:
            return 0
        per_work = Counter(work_id for _, work_id in rows)
        # Lock the stats rows in one order, so two flushes can never deadlock each other.
        list(
            WorkStats.objects.filter(work_id__in=per_work)
            .order_by("work_id")
            .select_for_update()
            .values_list("id", flat=True)
        )
        by_count: dict[int, list[int]] = {}
        for work_id, count in per_work.items():
            by_count.setdefault(count, []).append(work_id)
        for count, work_ids in by_count.items():
            WorkStats.objects.filter(work_id__in=work_ids).update(hits=F("hits") + count)
        HitBuffer.objects.filter(id__in=[row_id for row_id, _ in rows]).update(flushed=True)
        return len(rows)


@task()
def flush_hits() -> int:
    """Add buffered hits to WorkStats.hits. Idempotent and safe to run concurrently; rows a
    failed run leaves unflushed are picked up by the next (or by `manage.py flush_hits`)."""
    return do_flush_hits()
