"""Reads of the site's settings and rules pages."""

import time

from django.contrib.auth.models import AnonymousUser

from quire.accounts.models import User

from .models import RuleVersion, SiteSettings, TermsAcceptance

TERMS = "tos"
RULE_PAGES = {
    "tos": "Terms of Service",
    "content": "Content Policy",
    "privacy": "Privacy Policy",
    "faq": "Frequently Asked Questions",
    "about": "About",
}

# Every request may ask for the settings; a worker keeps its copy this long (seconds), so a
# change reaches every worker within it without a query per request.
SETTINGS_TTL = 5.0
_memo: tuple[float, SiteSettings] | None = None


def site_settings() -> SiteSettings:
    """The site's settings: the saved row, or the defaults before any is saved."""
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < SETTINGS_TTL:
        return _memo[1]
    row = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    _memo = (now, row)
    return row


def forget_site_settings() -> None:
    """Drop this worker's copy (after a change here; tests)."""
    global _memo
    _memo = None


def current_version(slug: str) -> RuleVersion | None:
    return RuleVersion.objects.filter(page__slug=slug).select_related("page").first()


def terms_to_accept(user: User | AnonymousUser) -> RuleVersion | None:
    """The newest version of the terms that asks for acceptance, when `user` has not accepted
    it (or a later one); None for guests and for users who are up to date."""
    if not user.is_authenticated:
        return None
    version = (
        RuleVersion.objects.filter(page__slug=TERMS, needs_acceptance=True)
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    accepted = TermsAcceptance.objects.filter(
        user=user, version__page__slug=TERMS, version__number__gte=version.number
    ).exists()
    return None if accepted else version
