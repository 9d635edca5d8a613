from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from quire.lib.sanitize import format_user_text

from .validators import (
    ICON_ALT_MAX,
    ICON_COMMENT_MAX,
    PROFILE_TITLE_MAX,
    PSEUD_MAX,
    USERNAME_MAX,
    username_validators,
)


class QuireUserManager(UserManager["User"]):
    """create_user and create_superuser (so `manage.py createsuperuser` too) make the account
    through accounts.actions.do_create_user, the one door that also gives it its default
    pseud."""

    def _create_user(self, username, email, password, **extra_fields):
        # Imported here: actions import this module.
        from .actions import do_create_user

        return do_create_user(
            self.model.normalize_username(username),
            self.normalize_email(email),
            password,
            **extra_fields,
        )


class User(AbstractUser):
    """An account. Works are credited to its pseuds, never to the user directly."""

    username = models.CharField(
        max_length=USERNAME_MAX,
        unique=True,
        validators=username_validators,
        error_messages={"unique": "That username is already taken."},
    )
    is_wrangler = models.BooleanField(default=False)
    # Staff sanctions (quire.moderation): a suspension lifts itself at its date; a ban does
    # not. Either lets the user log in and read, not post, comment, leave kudos or bookmark.
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned = models.BooleanField(default=False)
    # Marked as a spammer by staff: everything of theirs is hidden.
    spammer = models.BooleanField(default=False)
    # The profile (AO3's /users/:login/profile) lives on the account itself: one row, read
    # with it, nothing to create lazily. `profile_about` is stored as typed and sanitized when
    # shown, like pseud descriptions.
    profile_title = models.CharField(max_length=PROFILE_TITLE_MAX, blank=True)
    profile_about = models.TextField(blank=True)

    objects: ClassVar[QuireUserManager] = QuireUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique")
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_admin(self) -> bool:
        return self.is_staff or self.is_superuser

    @property
    def profile_about_html(self) -> SafeString:
        return mark_safe(format_user_text(self.profile_about))  # noqa: S308 - sanitized


class Pseud(models.Model):
    """A name a user writes under; every user has exactly one default pseud."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=PSEUD_MAX)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    # Hidden by staff (quire.moderation): its page is its user's and staff's only, and
    # bylines name it without a link. Its works are not hidden with it.
    hidden_by_admin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Already resized to fit 100x100 (accounts/icons.py), under MEDIA_ROOT by Django's storage.
    icon = models.ImageField(upload_to="pseud_icons/", blank=True)
    icon_alt_text = models.CharField(max_length=ICON_ALT_MAX, blank=True)
    icon_comment = models.CharField(max_length=ICON_COMMENT_MAX, blank=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="accounts_pseud_name_ci_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="accounts_pseud_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description_html(self) -> SafeString:
        """The description as HTML, through the works' sanitizer (line breaks as paragraphs).
        Stored as typed, so the edit form shows it back unchanged; sanitized when shown."""
        return mark_safe(format_user_text(self.description))  # noqa: S308 - sanitized

    @property
    def byline(self) -> str:
        """AO3's byline text: "pseud (login)" when the two differ."""
        if self.name == self.user.username:
            return self.name
        return f"{self.name} ({self.user.username})"


class PastUsername(models.Model):
    """A login `user` gave up. /users/<username>/... redirects to the user's current name, and
    nobody else may take the name while the account exists (accounts/actions/usernames.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="past_usernames")
    username = models.CharField(max_length=USERNAME_MAX)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(Lower("username"), name="accounts_pastname_lower_idx")]

    def __str__(self) -> str:
        return f"{self.username} (now {self.user_id})"


# AO3's default browser title of a work page, and what a reader's own format may hold.
WORK_TITLE_FORMAT_DEFAULT = "TITLE - AUTHOR - FANDOM"
WORK_TITLE_FORMAT_MAX = 255


class Preference(models.Model):
    """Per-user preferences, AO3's set (AO3-INVENTORY §2.10) less what Quire has no use for.
    Created lazily; absent means the defaults, which are also what a guest gets. Read once a
    request: the account is fetched with its row joined (accounts.backends), and
    accounts.queries.preference_of answers for guests and users alike."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preference")

    # Privacy
    minimize_search_engines = models.BooleanField(default=False)
    disable_share_links = models.BooleanField(default=False)
    allow_cocreator = models.BooleanField(default=False)

    # Display
    view_adult = models.BooleanField(
        default=False, help_text="Show me adult content without asking."
    )
    view_full_works = models.BooleanField(default=False)
    hide_warnings = models.BooleanField(default=False)
    hide_freeform = models.BooleanField(default=False)
    disable_work_skins = models.BooleanField(default=False)
    # An IANA zone name; blank is the site's TIME_ZONE (accounts.middleware.reader_time_zone).
    time_zone = models.CharField(max_length=64, blank=True, default="")
    preferred_locale = models.CharField(max_length=16, blank=True, default="")
    work_title_format = models.CharField(
        max_length=WORK_TITLE_FORMAT_MAX, default=WORK_TITLE_FORMAT_DEFAULT
    )

    # Comments and kudos
    comment_emails_off = models.BooleanField(default=False)
    comment_inbox_off = models.BooleanField(default=False)
    # AO3's default: no copies of one's own comments.
    comment_copy_to_self_off = models.BooleanField(default=True)
    kudos_emails_off = models.BooleanField(default=False)
    guest_replies_off = models.BooleanField(default=False)

    # Collections, gifts and challenges (issue #15 acts on these)
    allow_collection_invitation = models.BooleanField(default=False)
    allow_gifts = models.BooleanField(default=False)
    collection_emails_off = models.BooleanField(default=False)
    collection_inbox_off = models.BooleanField(default=False)
    recipient_emails_off = models.BooleanField(default=False)

    # Misc
    # AO3's "Turn on History": off, views of works are not recorded in the reading history.
    history_enabled = models.BooleanField(default=True)
    # Subscription updates come by e-mail (hourly, one message a batch) unless this is off;
    # the inbox gets them either way.
    subscription_emails = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


BLOCKS_MAX = 2_000  # AO3.md §7: up to 2,000 blocked and 2,000 muted users per account
MUTES_MAX = 2_000


class Block(models.Model):
    """`blocker` has blocked `blocked`: no comments, kudos, replies or gifts from them."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="accounts_block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="accounts_block_not_self"
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="accounts_block_blocked_idx")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """`muter` has muted `muted`: their works, bookmarks and comments are hidden from muter."""

    muter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="accounts_mute_once"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="accounts_mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"
