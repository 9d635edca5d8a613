"""Moderation: the staff activity log, abuse reports, support tickets and sanctions on users."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

URL_MAX = 2080  # AO3's limit on a reported URL
SUMMARY_MAX = 107  # AO3's limit on an abuse report's summary (its form says 100)
REASON_MAX = 2000


class ActivityEntry(models.Model):
    """One staff action: who did what to which target, when, and why. Written by
    moderation.actions.do_log inside the action's own transaction; never edited. The
    target's label is kept as it was, so the entry still reads after the target is deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="staff_actions",
    )
    action = models.CharField(max_length=50)
    target_type = models.ForeignKey(
        ContentType, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(max_length=300, blank=True)
    # The account the action concerns (the target's creator, or the target itself when it
    # is a user): the user's staff page lists these.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_actions_about",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="moderation_log_target_idx"),
            models.Index(fields=["subject", "-created_at"], name="moderation_log_subject_idx"),
        ]
        verbose_name_plural = "activity entries"

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.target_label}"


class Hiding(models.Model):
    """Why staff hid one item (a work, series, chapter, comment, bookmark or pseud), while it
    is hidden: the notice its creator and staff see reads the reason here. The item's own
    `hidden_by_admin` flag is what the reading doors test (one column, no join); this row is
    written and deleted with it by do_hide / do_unhide, in the same transaction. The history
    of hidings stays in the activity log."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    reason = models.TextField()
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The item's (first) maker: their dashboard lists what staff hid of theirs, and why.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hidings_about",
    )
    target_label = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="moderation_hiding_subj_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="moderation_hiding_once"
            )
        ]
        permissions = [
            (
                "hide_content",
                "Can hide and unhide works, series, chapters, comments, bookmarks and pseuds",
            ),
            ("mark_spammer", "Can mark a user as a spammer (hiding everything of theirs)"),
            ("delete_spam_comments", "Can delete comments in bulk"),
        ]

    def __str__(self) -> str:
        return f"Hidden {self.target_type_id} {self.target_id}"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class QueueItem(models.Model):
    """What abuse reports and support tickets share: a place in a staff queue."""

    email = models.EmailField(max_length=254)
    # The account that sent it, when logged in (kept apart from the e-mail they typed).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=SUMMARY_MAX)
    description = models.TextField()
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status in (Status.OPEN, Status.IN_PROGRESS)


class ReportCategory(models.TextChoices):
    """AO3's abuse categories, as a reporter reads them."""

    SPAM = "spam", "Spam or commercial promotion"
    HARASSMENT = "harassment", "Harassment or threats"
    PLAGIARISM = "plagiarism", "Plagiarism or copyright infringement"
    INAPPROPRIATE = "inappropriate", "Inappropriate content, rating or warnings"
    PERSONAL_INFO = "personal_info", "Personal information or fannish identity revealed"
    IMPERSONATION = "impersonation", "Impersonation"
    OTHER = "other", "Other violation of the Terms of Service"


class AbuseReport(QueueItem):
    """A report of something on this archive (its URL), and what the URL names when it is one
    of ours: a work, chapter, series, comment, bookmark, pseud or user (generic), so staff act
    on the thing and its log. The URL is kept as typed even when nothing resolves."""

    url = models.CharField(max_length=URL_MAX)
    category = models.CharField(max_length=20, choices=ReportCategory)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")

    class Meta(QueueItem.Meta):
        indexes = [
            models.Index(fields=["status", "-created_at"], name="moderation_report_status_idx"),
            models.Index(fields=["target_type", "target_id"], name="moderation_report_target_idx"),
        ]


class SupportTicket(QueueItem):
    """A message sent through /support."""

    class Meta(QueueItem.Meta):
        indexes = [
            models.Index(fields=["status", "-created_at"], name="moderation_ticket_status_idx"),
        ]


class QueueNote(models.Model):
    """A staff-only note in the thread of a report or of a ticket (exactly one of the two)."""

    report = models.ForeignKey(
        AbuseReport, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    ticket = models.ForeignKey(
        SupportTicket, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, ticket__isnull=True)
                | models.Q(report__isnull=True, ticket__isnull=False),
                name="moderation_queuenote_one_item",
            )
        ]

    def __str__(self) -> str:
        return self.body[:50]


class SanctionKind(models.TextChoices):
    NOTE = "note", "Note"  # staff-only: the user is not told
    WARNING = "warning", "Warning"
    SUSPENSION = "suspension", "Suspension"
    BAN = "ban", "Ban"
    LIFT = "lift", "Suspension or ban lifted"


class Sanction(models.Model):
    """A staff decision about a user, kept as history; the user's row holds what applies now
    (User.suspended_until, User.banned), which every check reads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=20, choices=SanctionKind)
    reason = models.TextField(max_length=REASON_MAX)
    until = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="moderation_sanction_user_idx")
        ]
        permissions = [
            ("sanction_user", "Can note, warn, suspend, ban and lift sanctions on users"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user_id}"
