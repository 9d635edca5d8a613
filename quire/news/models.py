"""News posts (AO3's admin posts, at /admin_posts): staff write them, readers comment.

News comments are their own model rather than social.Comment: every part of social's
comment machinery (its counts, inbox, moderation queue, access_comment, comment_location)
is built around a work and a chapter, and a second parent kind would reach into all of it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

TITLE_MAX = 255
BODY_MAX = 500_000
TAG_NAME_MAX = 100
COMMENT_MAX = 10_000  # as social's (AO3.md §6)
GUEST_NAME_MAX = 100


class NewsTag(models.Model):
    """A label on news posts ("Announcement", "Downtime"); names unique whatever their case."""

    name = models.CharField(max_length=TAG_NAME_MAX)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="news_tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class NewsPost(models.Model):
    """A news post. `published_at` None is a draft, shown to staff only; `body` is sanitized
    HTML written by the actions only (quire.lib.sanitize.format_user_text)."""

    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    tags = models.ManyToManyField(NewsTag, blank=True, related_name="posts")
    comments_allowed = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(published_at__isnull=False),
                name="news_post_published_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def comments_close_at(self):
        """When comments close (AO3: 14 days after posting); None while they never will.
        settings.NEWS_COMMENT_DAYS 0 keeps them open."""
        if self.published_at is None or not settings.NEWS_COMMENT_DAYS:
            return None
        return self.published_at + timedelta(days=settings.NEWS_COMMENT_DAYS)

    def comments_open(self, now=None) -> bool:
        if not self.comments_allowed or self.published_at is None:
            return False
        closes = self.comments_close_at
        return closes is None or (now or timezone.now()) < closes


class NewsComment(models.Model):
    """A reader's comment on a news post, or a reply (`parent`). As social.Comment: `thread`
    is the top-level comment (itself for one), `depth` the distance from it; a deleted
    comment with replies stays as a placeholder. Guests give a name and an e-mail address,
    and their IP is kept only as a keyed hash, for the rate limit."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="comments")
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
        related_name="news_comments",
    )
    pseud = models.ForeignKey(
        "accounts.Pseud",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_comments",
    )
    guest_name = models.CharField(max_length=GUEST_NAME_MAX, blank=True)
    guest_email = models.EmailField(blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, default="")
    content = models.TextField(blank=True)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    # Not columns: set by the queries that list them (social.queries.comments._build_tree).
    has_replies: bool
    children: list["NewsComment"]
    continue_thread: int | None

    class Meta:
        indexes = [
            models.Index(fields=["post", "depth", "id"], name="news_comment_roots_idx"),
            models.Index(fields=["thread", "depth"], name="news_comment_thread_idx"),
            models.Index(fields=["user", "created_at"], name="news_comment_user_idx"),
            models.Index(
                fields=["ip_hash", "created_at"],
                condition=models.Q(user__isnull=True),
                name="news_comment_guest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on news post {self.post_id}"

    @property
    def byline(self) -> str:
        if self.pseud is not None:
            return self.pseud.byline
        return self.guest_name
