"""Writes of kudos: one per account, or per guest address, and the work's count."""

from django.db import IntegrityError, transaction
from django.db.models import F

from quire.works.models import Work, WorkStats
from quire.works.pagecache import expire_work_pages

from ..models import Kudo
from ..permissions import ALREADY_LEFT, kudos_refusal
from ..visitors import hash_ip
from .kudos_digests import schedule_kudos_digest


class KudosError(Exception):
    """Kudos refused; the message is for the reader."""


def do_leave_kudos(work: Work, *, user=None, ip: str | None = None) -> Kudo:
    """Leave kudos on `work` as `user`, or as a guest from `ip` when user is None/anonymous.

    The caller has fetched the work through access_work (it is visible to the viewer). Raises
    KudosError on a draft, the viewer's own work, a guest on a restricted work, and a second
    kudos from the same account or guest IP; in that case nothing is written. In one
    transaction: inserts the Kudo and adds one to WorkStats.kudos_count (an F() update, so
    concurrent kudos never lose each other). Expires the work's guest pages, now and on commit.
    """
    if user is not None and not user.is_authenticated:
        user = None
    refusal = kudos_refusal(user, work)
    if refusal:
        raise KudosError(refusal)
    ip_hash = ""
    if user is None:
        if not ip:
            raise KudosError("We couldn't tell who you are; please try again.")
        ip_hash = hash_ip(ip)
    try:
        with transaction.atomic():
            kudo = Kudo.objects.create(work=work, user=user, ip_hash=ip_hash)
            WorkStats.objects.filter(work=work).update(kudos_count=F("kudos_count") + 1)
    except IntegrityError:
        raise KudosError(ALREADY_LEFT) from None
    # Kudos change only the live parts of the page (the kudos list and stats), so the fragment
    # caches keyed by Work.version stay valid: expiring guests' whole pages is enough.
    expire_work_pages([work.pk])
    transaction.on_commit(lambda: expire_work_pages([work.pk]))
    # The creators hear of it in the day's digest (kudos_digests).
    transaction.on_commit(schedule_kudos_digest)
    return kudo
