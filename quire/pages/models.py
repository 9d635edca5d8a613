"""The site's own pages and settings: what staff change without a deploy."""

from django.conf import settings
from django.db import models


class SignupMode(models.TextChoices):
    OPEN = "open", "Open: anyone may sign up"
    INVITATION = "invitation", "By invitation only"
    CLOSED = "closed", "Closed"


class SiteSettings(models.Model):
    """One row (pk=1) of settings staff edit in the site. Read through
    pages.queries.site_settings(), never directly: it falls back to the defaults and keeps a
    short-lived copy per worker."""

    signups = models.CharField(max_length=20, choices=SignupMode, default=SignupMode.OPEN)
    guest_comments = models.BooleanField(default=True, help_text="Guests may comment.")
    downloads = models.BooleanField(default=True, help_text="Works may be downloaded.")
    support_form = models.BooleanField(default=True, help_text="The support form is open.")
    invitations_per_day = models.PositiveIntegerField(
        default=0, help_text="Invitations released from the queue each day (0: none)."
    )
    banner = models.TextField(blank=True, help_text="A site-wide banner (HTML, sanitized).")
    # Changes whenever the banner text does: a reader's dismissal is of one banner.
    banner_changed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "Site settings"


class RulePage(models.Model):
    """One of the site's rules pages at AO3's URLs: /tos, /content, /privacy, /faq, /about.
    Its text is the newest RuleVersion."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.title


class RuleVersion(models.Model):
    """A version of a rules page. Versions are kept, never edited: what a user accepted is
    the version they accepted."""

    page = models.ForeignKey(RulePage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(help_text="HTML, sanitized when saved.")
    change_note = models.CharField(max_length=500, blank=True)
    # A version of the terms that asks every logged-in user to accept it again.
    needs_acceptance = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="pages_ruleversion_once")
        ]

    def __str__(self) -> str:
        return f"{self.page.slug} v{self.number}"


class TermsAcceptance(models.Model):
    """`user` accepted this version of the terms of service (at sign-up, or when asked again)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    version = models.ForeignKey(RuleVersion, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="pages_terms_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version_id}"
