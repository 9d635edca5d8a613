"""What readers give back to a work: kudos, bookmarks, and the buffer that hits pass through."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from quire.accounts.models import Pseud
from quire.tags.models import Tag
from quire.works.models import Chapter, Series, Work


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
    # Told to the work's creators by the daily kudos digest (actions/kudos_digests.py).
    mailed = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(mailed=False), name="social_kudo_unmailed_idx"
            )
        ]
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
    """A user's bookmark of a work or of a series: their notes, their own tags ("Your tags"),
    a rec flag.

    One per user and work, and one per user and series (unique constraints). Private
    bookmarks are seen by their owner alone; only public bookmarks of works are counted in
    WorkStats.bookmarks_count.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="bookmarks")
    # Exactly one of the two (a check constraint): a bookmark is of a work or of a series.
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    # Sanitized HTML (quire.lib.sanitize.format_user_text), written by the actions only.
    notes = models.TextField(blank=True)
    rec = models.BooleanField(default=False)
    private = models.BooleanField(default=False)
    # Hidden by staff (quire.moderation): shown to its owner and staff only, with a notice,
    # and never counted in WorkStats.bookmarks_count.
    hidden_by_admin = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Not columns: set by the queries that list them, declared here for the type checker.
    blurb_work: Work | None
    blurb_series: Series | None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "work"], name="social_bookmark_one_per_user"),
            models.UniqueConstraint(fields=["owner", "series"], name="social_bookmark_series_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(work__isnull=False, series__isnull=True)
                    | models.Q(work__isnull=True, series__isnull=False)
                ),
                name="social_bookmark_work_or_series",
            ),
        ]
        indexes = [
            models.Index(fields=["work", "-created_at"], name="social_bookmark_work_idx"),
            models.Index(fields=["series", "-created_at"], name="social_bookmark_series_idx"),
            models.Index(fields=["owner", "-created_at"], name="social_bookmark_owner_idx"),
            models.Index(fields=["-created_at"], name="social_bookmark_recent_idx"),
        ]

    def __str__(self) -> str:
        item = f"work {self.work_id}" if self.work_id else f"series {self.series_id}"
        return f"Bookmark of {item} by {self.owner_id}"


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

    # Not columns: set by the queries that list them, declared here for the type checker.
    blurb_work: Work | None

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
    # Hidden by staff (quire.moderation): shown to its author and staff only, with a notice;
    # its replies go with it, and it leaves WorkStats.comments_count.
    hidden_by_admin = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    # Not columns: set by the queries that list them, declared here for the type checker.
    has_replies: bool
    children: list["Comment"]
    continue_thread: int | None

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
        if self.pseud is not None:
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


class Subscription(models.Model):
    """A user's subscription to a work (its new chapters), a series or a user (their new
    works). Exactly one target is set; one subscription per user and target (unique
    constraints), and never to oneself."""

    WORK, SERIES, USER = "Work", "Series", "User"  # AO3's subscribable_type values

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Not columns: set by the queries that list them, declared here for the type checker.
    shown_work: Work | None

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(work__isnull=False, series__isnull=True, target_user__isnull=True)
                    | models.Q(work__isnull=True, series__isnull=False, target_user__isnull=True)
                    | models.Q(work__isnull=True, series__isnull=True, target_user__isnull=False)
                ),
                name="social_subscription_one_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(target_user=models.F("user")),
                name="social_subscription_not_self",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=models.Q(work__isnull=False),
                name="social_subscription_once_per_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=models.Q(series__isnull=False),
                name="social_subscription_once_per_series",
            ),
            models.UniqueConstraint(
                fields=["user", "target_user"],
                condition=models.Q(target_user__isnull=False),
                name="social_subscription_once_per_user",
            ),
        ]
        indexes = [
            # Who to tell when something is posted: by target.
            models.Index(fields=["work"], name="social_subscription_work_idx"),
            models.Index(fields=["series"], name="social_subscription_series_idx"),
            models.Index(fields=["target_user"], name="social_subscription_target_idx"),
            models.Index(fields=["user", "-created_at"], name="social_subscription_list_idx"),
        ]

    def __str__(self) -> str:
        return f"Subscription of {self.user_id} to {self.kind} {self.target_id}"

    @property
    def kind(self) -> str:
        if self.work_id:
            return self.WORK
        return self.SERIES if self.series_id else self.USER

    @property
    def target_id(self) -> int | None:
        return self.work_id or self.series_id or self.target_user_id


class NoticeEvent(models.TextChoices):
    CHAPTER = "chapter", "New chapter"  # of a subscribed work
    WORK = "work", "New work"  # by a subscribed user
    SERIES = "series", "New work in series"  # added to a subscribed series


class SubscriptionNotice(models.Model):
    """One update for one subscriber: recorded in the transaction that posts it, then taken
    by a batch (do_send_notifications) that delivers it to the inbox and, with the user's
    e-mail preference on, in one e-mail with everything else the batch holds for them.

    At most one notice per subscriber and chapter, and per subscriber and new work (a user
    subscribed to both a work's creator and its series hears of it once).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription_notices"
    )
    KIND = "update"  # the inbox template includes social/_inbox_<kind>.html

    event = models.CharField(max_length=16, choices=NoticeEvent.choices)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The claim of the batch sending it: set by one UPDATE ... WHERE batch = '' so two batches
    # running at once never both take a notice. A claim older than CLAIM_LEASE is abandoned.
    batch = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # in the inbox from then on
    emailed_at = models.DateTimeField(null=True, blank=True)  # None: no e-mail carried it
    read = models.BooleanField(default=False)

    # Not columns: set by the queries that list them, declared here for the type checker.
    headline: str
    url: str

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "chapter"],
                condition=models.Q(chapter__isnull=False),
                name="social_notice_once_per_chapter",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=models.Q(chapter__isnull=True),
                name="social_notice_once_per_new_work",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(delivered_at__isnull=True),
                name="social_notice_pending_idx",
            ),
            models.Index(
                fields=["user", "-delivered_at"],
                condition=models.Q(delivered_at__isnull=False),
                name="social_notice_inbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} notice of {self.work_id} for {self.user_id}"

    @property
    def kind(self) -> str:
        return self.KIND
