"""A work's version, and the side effects that follow a change to what its page shows.

Every write that changes a work's page or blurb ends in `do_bump_work_versions` (works'
own actions through their refresh; a pseud rename in accounts; a tag's new type in tags).
It lives apart from works/actions.py so that those apps can import it at the top of their
modules: works.actions imports tags.actions and social.actions, so an import back into
works.actions from them would be a cycle.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from quire.search.engines import get_engine
from quire.tags.audience import refresh_work_tags_audience
from quire.tags.filters import rebuild_filters

from .models import Work
from .pagecache import expire_work_pages


def do_bump_work_versions(work_ids) -> None:
    """Mark these works' pages as changed: new cache keys now, guest pages expired on commit.

    Every write that changes what a work's page or blurb shows ends here (via works.actions'
    refresh or directly, as a pseud rename does). Inside `deferred_work_refresh` it only
    notes the ids.
    """
    ids = list(work_ids)
    if not ids:
        return
    deferred = _deferred.get()
    if deferred is not None:
        deferred.bumps.update(ids)
        return
    Work.objects.filter(pk__in=ids).update(version=F("version") + 1)
    get_engine().index(ids)
    # Whether others may see a tag follows the visibility of the works using it.
    refresh_work_tags_audience(ids)
    # Now, and again once committed: a guest page rendered in between from the old rows
    # would otherwise be kept until its TTL.
    expire_work_pages(ids)
    transaction.on_commit(lambda: expire_work_pages(ids))


def rebuild_work_filters(work_id: int) -> None:
    """Rebuild one work's filter rows (tags.filters is their one writer), or, inside
    `deferred_work_refresh`, note the work for the rebuild at its end. The caller bumps the
    version, which reindexes the work."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.filters.add(work_id)
    else:
        rebuild_filters([work_id], index=False)


def refresh_is_deferred() -> bool:
    """Whether writes are inside `deferred_work_refresh` (where versions are stale until its
    end)."""
    return _deferred.get() is not None


@dataclass
class _Deferred:
    filters: set[int] = field(default_factory=set)
    bumps: set[int] = field(default_factory=set)


_deferred: ContextVar[_Deferred | None] = ContextVar("deferred_work_refresh", default=None)


@contextmanager
def deferred_work_refresh() -> Iterator[None]:
    """One transaction in which works are written many times over (an import of hundreds of
    files) and their side effects run once, at the end, for every work touched.

    Inside it, the filter rebuild (tags.filters.rebuild_filters) and the version bump with
    its reindex and page expiry (do_bump_work_versions) only note the work ids; on leaving
    it, rebuild_filters and do_bump_work_versions run once for them all, in this transaction,
    so the filter table and the search index end exactly as one write at a time leaves them
    (their one writers unchanged), only sooner. Works a rolled-back savepoint took away are
    left out. Within it, `work.version` of the objects written is stale until the end.
    """
    pending = _Deferred()
    with transaction.atomic():
        token = _deferred.set(pending)
        try:
            yield
        finally:
            _deferred.reset(token)
        touched = pending.filters | pending.bumps
        existing = set(Work.objects.filter(pk__in=touched).values_list("pk", flat=True))
        if pending.filters & existing:
            rebuild_filters(pending.filters & existing, index=False)
        # Works whose filters changed are reindexed by the bump below, as the refresh would.
        do_bump_work_versions(sorted((pending.bumps | pending.filters) & existing))
