"""Moderation: the staff activity log (more models arrive with reports and sanctions)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


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
