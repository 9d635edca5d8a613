"""AO3's daily kudos e-mail: each creator hears once a day of the kudos their works were
given since the last digest ("bob and 2 guests left kudos on Title"), unless their "Turn off
emails about kudos" preference is on.

`send_kudos_digests` (a task queued by the first kudos of each QUIRE_KUDOS_DIGEST_SECONDS, a
day by default, deferred to its end; also `manage.py send_kudos_digests` for cron) takes the
kudos not yet told in rounds: each round marks its kudos `mailed` in the transaction that
reads them (FOR UPDATE SKIP LOCKED where the database has it, so overlapping runs take
different rows), then mails outside it. Kudos are told at most once: a failed e-mail is logged,
not retried, as AO3's digest does."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from quire.accounts.models import Preference, User
from quire.lib.periodic import claim_interval, deferred
from quire.lib.site import site_url
from quire.works.models import Creatorship, Work

from ..models import Kudo

logger = logging.getLogger(__name__)

KUDOS_PER_ROUND = 2_000


@dataclass
class WorkKudos:
    """One line of a digest: who left kudos on one work."""

    work: Work
    names: list[str] = field(default_factory=list)
    guests: int = 0
    url: str = ""

    @property
    def givers(self) -> str:
        parts = list(self.names)
        if self.guests:
            parts.append("1 guest" if self.guests == 1 else f"{self.guests} guests")
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass
class DigestResult:
    kudos: int = 0  # kudos taken (told, or not wanted)
    emails: int = 0
    failed: list[int] = field(default_factory=list)  # creators whose mail failed


def schedule_kudos_digest() -> None:
    """Queue the digest to run QUIRE_KUDOS_DIGEST_SECONDS from now, at most once per interval
    (0 turns this off: the command, or cron, sends)."""
    if claim_interval("kudos:digest-scheduled", settings.KUDOS_DIGEST_SECONDS):
        deferred(send_kudos_digests, settings.KUDOS_DIGEST_SECONDS).enqueue()


def do_send_kudos_digests(*, per_round: int = KUDOS_PER_ROUND) -> DigestResult:
    """Mail every creator the kudos left on their works since the last digest: one e-mail
    each, a round of kudos at a time."""
    result = DigestResult()
    while True:
        kudos = _claim_round(per_round)
        if not kudos:
            return result
        result.kudos += len(kudos)
        for user, lines in _digests(kudos):
            try:
                kudos_message(user, lines).send()
                result.emails += 1
            except Exception:
                logger.exception("Kudos digest for user %s not sent", user.pk)
                result.failed.append(user.pk)


def _claim_round(per_round: int) -> list[Kudo]:
    with transaction.atomic():
        rows = Kudo.objects.filter(mailed=False).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        kudos = list(rows.select_related("user")[:per_round])
        Kudo.objects.filter(pk__in=[kudo.pk for kudo in kudos]).update(mailed=True)
    return kudos


def _digests(kudos: list[Kudo]) -> list[tuple[User, list[WorkKudos]]]:
    """Each creator who wants the e-mail (active, with an address, the preference on) and
    their works' lines, in work order. Kudos a creator's co-creator left are told to the
    others; nobody hears of their own."""
    work_ids = {kudo.work_id for kudo in kudos}
    works = {work.pk: work for work in Work.objects.filter(pk__in=work_ids)}
    creators: dict[int, set[int]] = {}
    for work_id, user_id in Creatorship.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "pseud__user_id"
    ):
        creators.setdefault(work_id, set()).add(user_id)
    creator_ids = {uid for ids in creators.values() for uid in ids}
    off = set(
        Preference.objects.filter(user_id__in=creator_ids, kudos_emails_off=True).values_list(
            "user_id", flat=True
        )
    )
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=creator_ids - off, is_active=True).exclude(email="")
    }
    lines: dict[int, dict[int, WorkKudos]] = {}
    for kudo in kudos:
        for user_id in creators.get(kudo.work_id, ()):
            if user_id not in users or kudo.user_id == user_id:
                continue
            line = lines.setdefault(user_id, {}).setdefault(
                kudo.work_id, WorkKudos(works[kudo.work_id])
            )
            if kudo.user is not None:
                line.names.append(kudo.user.username)
            else:
                line.guests += 1
    return [
        (users[user_id], [by_work[work_id] for work_id in sorted(by_work)])
        for user_id, by_work in sorted(lines.items())
    ]


def kudos_message(user, lines: list[WorkKudos]) -> EmailMultiAlternatives:
    """AO3's subject, "You've got kudos!"; one line a work, text and HTML."""
    site = site_url()
    for line in lines:
        line.url = site + reverse("works:work-show", args=[line.work.pk])
    context = {
        "user": user,
        "lines": lines,
        "site_name": settings.SITE_NAME,
        "preferences_url": site + reverse("accounts:preferences", args=[user.username]),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] You've got kudos!",
        body=render_to_string("social/email/kudos_digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("social/email/kudos_digest.html", context), "text/html"
    )
    return message


@task()
def send_kudos_digests() -> int:
    """The daily kudos e-mails; returns how many were sent."""
    return do_send_kudos_digests().emails
