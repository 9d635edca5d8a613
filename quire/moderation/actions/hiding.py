"""Staff hiding and unhiding a work, series, chapter, comment, bookmark or pseud. No
permission checks here: the staff views check (moderation.permissions_hiding)."""

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string

from quire.accounts.models import User
from quire.lib.site import site_url

from ..kinds import kind_of
from ..models import Hiding
from .log import do_log


def do_hide(actor: User, target: models.Model, reason: str) -> Hiding:
    """Hide `target` from everyone but its makers and staff, who see a notice with `reason`.

    One transaction: the target's flag through its app's action (versions bumped, counts
    moved, guest pages expired), the Hiding row that keeps the reason (replaced if it was
    hidden already), and the activity log entry. Its makers are e-mailed the reason once it
    commits."""
    kind = kind_of(target)
    with transaction.atomic():
        kind.set_hidden(target, hidden=True)
        makers = kind.makers(target)
        hiding, _ = Hiding.objects.update_or_create(
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            defaults={
                "reason": reason,
                "hidden_by": actor,
                "subject": makers[0] if makers else None,
                "target_label": str(target)[:300],
            },
        )
        do_log(actor, "hide", target, subject=makers[0] if makers else None, note=reason)
        _tell(makers, target, hidden=True, reason=reason)
    return hiding


def do_unhide(actor: User, target: models.Model, note: str = "") -> None:
    """Show `target` again (to everyone its own rules allow), forgetting the reason. Logged
    with `note` in the same transaction; its makers are e-mailed once it commits."""
    kind = kind_of(target)
    with transaction.atomic():
        kind.set_hidden(target, hidden=False)
        Hiding.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        ).delete()
        makers = kind.makers(target)
        do_log(actor, "unhide", target, subject=makers[0] if makers else None, note=note)
        _tell(makers, target, hidden=False, reason=note)


def _tell(makers: list[User], target: models.Model, *, hidden: bool, reason: str) -> None:
    """E-mail each maker with an address, after the commit (a rolled-back hiding says
    nothing)."""
    kind = kind_of(target)
    context = {
        "kind": kind.label,
        "label": str(target),
        "hidden": hidden,
        "reason": reason,
        "url": site_url() + kind.url(target),
    }
    subject = f"[Quire] Your {kind.label} has been {'hidden' if hidden else 'made visible again'}"
    messages = []
    for user in makers:
        if not user.email:
            continue
        body = render_to_string("moderation/email/hidden.txt", {**context, "user": user})
        messages.append(EmailMultiAlternatives(subject=subject, body=body, to=[user.email]))
    if messages:
        transaction.on_commit(lambda: [message.send() for message in messages])
