"""What readers give back to a work: kudos, bookmarks, and the buffer that hits pass through."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.tags.models import Tag
from quire.works.models import Work


class Kudo(models.Model):
    """One reader's kudos on a work: a user's, or a guest's, known by a keyed hash of the IP.

    The database holds the one-per-account and one-per-IP rules (partial unique constraints),
    so two clicks racing each other can never both count.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    # Guests only: hash_ip() of the address, never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=models.Q(user__isnull=False),
                name="social_kudo_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["work", "ip_hash"],
                condition=models.Q(user__isnull=True),
                name="social_kudo_one_per_guest_ip",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, ip_hash="")
                    | (models.Q(user__isnull=True) & ~models.Q(ip_hash=""))
                ),
                name="social_kudo_user_or_ip",
            ),
        ]

    def __str__(self) -> str:
        return f"Kudos on {self.work_id}"


class HitBuffer(models.Model):
    """A counted view, waiting to be added to WorkStats.hits by do_flush_hits.

    Views insert here (ignoring conflicts) instead of updating the stats row, so reading a
    popular work never waits on a lock. The row stays after its flush (`flushed`) until its
    day is over: it is what makes a second view from the same IP that day not count.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    ip_hash = models.CharField(max_length=64)
    day = models.DateField()
    flushed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "ip_hash", "day"], name="social_hitbuffer_once_a_day"
            )
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(flushed=False),
                name="social_hitbuffer_pending_idx",
            ),
            models.Index(fields=["day"], name="social_hitbuffer_day_idx"),
        ]

    def __str__(self) -> str:
        return f"Hit on {self.work_id} ({self.day})"


BOOKMARK_NOTES_MAX = 5_000  # AO3.md §6
BOOKMARK_TAGS_MAX = 75


class Bookmark(models.Model):
    """A user's bookmark of a work: their notes, their own tags ("Your tags"), a rec flag.

    One per user and work (a unique constraint). Private bookmarks are seen by their owner
    alone and are not counted in WorkStats.bookmarks_count.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="bookmarks")
    # Sanitized HTML (quire.lib.sanitize.format_user_text), written by the actions only.
    notes = models.TextField(blank=True)
    rec = models.BooleanField(default=False)
    private = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "work"], name="social_bookmark_one_per_user")
        ]
        indexes = [
            models.Index(fields=["work", "-created_at"], name="social_bookmark_work_idx"),
            models.Index(fields=["owner", "-created_at"], name="social_bookmark_owner_idx"),
            models.Index(fields=["-created_at"], name="social_bookmark_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"Bookmark of {self.work_id} by {self.owner_id}"


class Reading(models.Model):
    """A user's reading history entry for a work (AO3's "History"), and its Marked for Later
    flag. One per user and work (a unique constraint); views count up with F()."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    first_viewed_at = models.DateTimeField(default=timezone.now)
    last_viewed_at = models.DateTimeField(default=timezone.now)
    views = models.PositiveIntegerField(default=0)
    # Work.posted_chapter_count when the user last viewed it: more now means an update.
    chapters_posted_at_view = models.PositiveIntegerField(default=0)
    toread = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="social_reading_one_per_user")
        ]
        indexes = [
            models.Index(fields=["user", "-last_viewed_at"], name="social_reading_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"Reading of {self.work_id} by {self.user_id}"

    @property
    def update_available(self) -> bool:
        return self.work.posted_chapter_count > self.chapters_posted_at_view


COMMENT_MAX = 10_000  # AO3.md §6
GUEST_NAME_MAX = 100


class Comment(models.Model):
    """A reader's comment on a chapter, or a reply to another comment (`parent`).

    `thread` is the top-level comment of the conversation (itself, for a top-level comment) and
    `depth` its distance from it, so a page of threads is read in one query. A comment held for
    the creators' review (`approved` False) is shown to no reader. A deleted comment that still
    has replies stays as a placeholder (`deleted`, its text gone); one without is removed.
    Guests give a name and an e-mail address; their IP is kept only as a keyed hash, for the
    rate limit.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey("works.Chapter", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    pseud = models.ForeignKey(
        Pseud, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    guest_name = models.CharField(max_length=GUEST_NAME_MAX, blank=True)
    guest_email = models.EmailField(blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, default="")
    # Sanitized HTML (quire.lib.sanitize.format_user_text), written by the actions only.
    content = models.TextField(blank=True)
    approved = models.BooleanField(default=True)
    deleted = models.BooleanField(default=False)
    frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["work", "depth", "id"], name="social_comment_roots_idx"),
            models.Index(fields=["chapter", "depth", "id"], name="social_comment_ch_roots_idx"),
            models.Index(fields=["thread", "depth"], name="social_comment_thread_idx"),
            models.Index(fields=["user", "created_at"], name="social_comment_user_idx"),
            models.Index(
                fields=["ip_hash", "created_at"],
                condition=models.Q(user__isnull=True),
                name="social_comment_guest_idx",
            ),
            models.Index(
                fields=["work", "id"],
                condition=models.Q(approved=False),
                name="social_comment_unreviewed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.work_id}"

    @property
    def byline(self) -> str:
        if self.pseud_id:
            return self.pseud.byline
        return self.guest_name


class InboxComment(models.Model):
    """A comment delivered to a user's inbox: on their work, or a reply to their comment.

    One per user and comment (a unique constraint), written by the comment actions when the
    comment becomes visible (at once, or when a creator approves it); never for one's own.
    """

    KIND = "comment"  # the inbox template includes social/_inbox_<kind>.html

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_comments"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="inbox_items")
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="social_inbox_once")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="social_inbox_recent_idx"),
            models.Index(
                fields=["user"], condition=models.Q(read=False), name="social_inbox_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} for {self.user_id}"

    @property
    def kind(self) -> str:
        return self.KIND
