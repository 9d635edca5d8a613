"""Writes of invitations: the queue, releasing it, codes held by users, redeeming one."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from quire.lib.periodic import claim_interval, deferred
from quire.lib.site import site_url
from quire.lib.tasks import enqueue_on_commit
from quire.moderation.actions import do_log
from quire.pages.queries import site_settings

from .models import Invitation, InviteRequest
from .queries import normalize_email

# Bounds on what one staff action may make, whatever the form says.
RELEASE_MAX = 1000
ISSUE_MAX = 100


def do_request_invitation(email: str, ip_hash: str = "") -> InviteRequest:
    """Put `email` in the queue, once: asking again keeps its place. Queues the daily release
    once the request commits."""
    with transaction.atomic():
        request, _ = InviteRequest.objects.get_or_create(
            email=normalize_email(email), defaults={"ip_hash": ip_hash}
        )
        transaction.on_commit(schedule_release)
    return request


@task()
def send_invitation_mail(invitation_id: int) -> None:
    """Mail an invitation's sign-up link to its address (a task: a slow mail server never
    holds up the staff page or the user who sent it)."""
    invitation = (
        Invitation.objects.select_related("creator")
        .filter(pk=invitation_id, redeemed_at__isnull=True)
        .first()
    )
    if invitation is None or not invitation.invitee_email:
        return
    context = {
        "site_name": settings.SITE_NAME,
        "signup_url": site_url() + reverse("account_signup_invited", args=[invitation.token]),
        "invitation": invitation,
        "sender": invitation.creator,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Your invitation",
        message=render_to_string("invitations/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.invitee_email],
    )


def _mail_on_commit(invitations: list[Invitation]) -> None:
    # After the commit: a release that rolls back mails nobody.
    for invitation in invitations:
        enqueue_on_commit(send_invitation_mail, invitation.pk)


def do_release_invitations(count: int, actor=None) -> list[Invitation]:
    """Invite the first `count` addresses in the queue: each gets an invitation mailed to it
    and leaves the queue. Rows another release holds are skipped, so two releases at once
    never invite one address twice."""
    count = max(0, min(count, RELEASE_MAX))
    if not count:
        return []
    with transaction.atomic():
        head = list(
            InviteRequest.objects.select_for_update(skip_locked=True).order_by("id")[:count]
        )
        now = timezone.now()
        invitations = Invitation.objects.bulk_create(
            [Invitation(invitee_email=r.email, sent_at=now) for r in head]
        )
        InviteRequest.objects.filter(pk__in=[r.pk for r in head]).delete()
        if actor is not None:
            do_log(actor, "release invitations", note=f"{len(invitations)} from the queue")
        _mail_on_commit(invitations)
    return invitations


def do_issue_invitations(user, count: int, actor) -> list[Invitation]:
    """Give `user` `count` invitation codes to share (staff, by hand)."""
    count = max(0, min(count, ISSUE_MAX))
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            [Invitation(creator=user) for _ in range(count)]
        )
        do_log(actor, "issue invitations", user, subject=user, note=f"{count} codes")
    return invitations


def do_send_invitation(invitation: Invitation, email: str) -> Invitation:
    """Mail one of a user's unused codes to `email` (again, if it was sent before)."""
    with transaction.atomic():
        invitation.invitee_email = normalize_email(email)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["invitee_email", "sent_at"])
        _mail_on_commit([invitation])
    return invitation


def do_redeem_invitation(token: str, user) -> bool:
    """Mark the invitation used by `user`'s new account; False if it was used meanwhile.
    Call it inside the transaction that makes the account, so both or neither happen."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token=token, redeemed_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        invitation.redeemed_by = user
        invitation.redeemed_at = timezone.now()
        invitation.save(update_fields=["redeemed_by", "redeemed_at"])
        # Whoever is invited leaves the queue if they were in it too.
        InviteRequest.objects.filter(email=normalize_email(user.email)).delete()
    return True


def schedule_release() -> None:
    """Queue the daily release to run QUIRE_INVITATIONS_RELEASE_SECONDS from now, at most once
    per interval (per cache), as flush_hits does. 0 queues nothing (`manage.py
    release_invitations`, or cron, releases)."""
    if not claim_interval("invitations:release-scheduled", settings.INVITATIONS_RELEASE_SECONDS):
        return
    deferred(release_invitations, settings.INVITATIONS_RELEASE_SECONDS).enqueue()


def release_daily() -> int:
    """Release the day's share of the queue (site settings: invitations_per_day)."""
    released = do_release_invitations(site_settings().invitations_per_day)
    if InviteRequest.objects.exists():
        # Still people waiting: the next day's release.
        transaction.on_commit(schedule_release)
    return len(released)


@task()
def release_invitations() -> int:
    return release_daily()
