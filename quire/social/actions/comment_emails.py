"""E-mails about comments, as AO3 sends them: to the work's creators and to the author of the
comment answered (unless their "Turn off emails about comments" preference is on), and a copy
to the commenter (only when they turned "Turn off copies of your own comments" off: AO3's
default is no copies). Sent by a task queued when the comment is delivered, so the mail server
never holds up the request; the task reads the comment again and sends nothing for one that is
gone, held or deleted by then."""

import html
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django_tasks import task

from quire.accounts.models import Preference, User
from quire.lib.site import site_url
from quire.lib.tasks import enqueue_on_commit

from ..models import Comment

logger = logging.getLogger(__name__)

# Why each recipient hears of the comment: the subject line and the opening sentence.
ON_YOUR_WORK, REPLY, OWN_COPY = "work", "reply", "copy"


def schedule_comment_emails(comment: Comment, recipient_ids: set[int]) -> None:
    """Queue the e-mails of a comment just delivered to `recipient_ids` (creators and the
    answered commenter, mutes already applied), on commit."""
    enqueue_on_commit(send_comment_emails, comment.pk, sorted(recipient_ids))


@task()
def send_comment_emails(comment_id: int, recipient_ids: list[int]) -> int:
    return do_send_comment_emails(comment_id, recipient_ids)


def do_send_comment_emails(comment_id: int, recipient_ids: list[int]) -> int:
    """Send the comment's e-mails; returns how many went. One failed address is logged and
    does not stop the others."""
    comment = (
        Comment.objects.select_related("work", "chapter", "pseud", "parent")
        .filter(pk=comment_id, approved=True, deleted=False)
        .first()
    )
    if comment is None:
        return 0
    wanted = set(recipient_ids)
    if comment.user_id:
        wanted.add(comment.user_id)
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=wanted)}
    default = Preference()
    sent = 0
    for user in User.objects.filter(pk__in=wanted, is_active=True).exclude(email=""):
        preference = preferences.get(user.pk, default)
        if user.pk == comment.user_id:
            if preference.comment_copy_to_self_off:
                continue
            reason = OWN_COPY
        else:
            if preference.comment_emails_off:
                continue
            reason = REPLY if comment.parent and comment.parent.user_id == user.pk else ON_YOUR_WORK
        try:
            comment_message(user, comment, reason).send()
            sent += 1
        except Exception:
            logger.exception("Comment %s e-mail to user %s not sent", comment.pk, user.pk)
    return sent


def comment_message(user, comment: Comment, reason: str) -> EmailMultiAlternatives:
    site = site_url()
    title = comment.work.title
    subject = {
        ON_YOUR_WORK: f"Comment on {title}",
        REPLY: f"Reply to your comment on {title}",
        OWN_COPY: f"Comment you left on {title}",
    }[reason]
    author = comment.pseud.byline if comment.pseud else f"{comment.guest_name} (Guest)"
    context = {
        "user": user,
        "comment": comment,
        "reason": reason,
        "author": author,
        "site_name": settings.SITE_NAME,
        "text": " ".join(html.unescape(strip_tags(comment.content)).split()),
        "comment_url": site + reverse("social:comment-show", args=[comment.pk]),
        "work_url": site + reverse("works:work-show", args=[comment.work_id]),
        "preferences_url": site + reverse("accounts:preferences", args=[user.username]),
    }
    message = EmailMultiAlternatives(
        subject=" ".join(f"[{settings.SITE_NAME}] {subject}".split()),
        body=render_to_string("social/email/comment_notice.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("social/email/comment_notice.html", context), "text/html"
    )
    return message
