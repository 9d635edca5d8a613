"""Reads of the site's settings and rules pages."""

import time

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from quire.accounts.models import User

from .models import RulePage, RuleVersion, SiteSettings, TermsAcceptance

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
# The number of the newest terms version that asks for acceptance (0: none), kept the same
# way: every logged-in request compares it with the number its session accepted.
_terms_memo: tuple[float, int] | None = None


def site_settings() -> SiteSettings:
    """The site's settings: the saved row, or the defaults before any is saved."""
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < SETTINGS_TTL:
        return _memo[1]
    row = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    _memo = (now, row)
    return row


def required_terms_number() -> int:
    """The number of the newest version of the terms that asks users to accept it again, or
    0; read at most once per SETTINGS_TTL per worker."""
    global _terms_memo
    now = time.monotonic()
    if _terms_memo is not None and now - _terms_memo[0] < SETTINGS_TTL:
        return _terms_memo[1]
    number = (
        RuleVersion.objects.filter(page__slug=TERMS, needs_acceptance=True)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    ) or 0
    _terms_memo = (now, number)
    return number


def forget_site_settings() -> None:
    """Drop this worker's copy of the settings (after a change here; tests)."""
    global _memo
    _memo = None


def forget_required_terms() -> None:
    """Drop this worker's copy of the required terms number (after a new version; tests)."""
    global _terms_memo
    _terms_memo = None


def assume_fresh_site() -> None:
    """Take this worker's copies to be a fresh database's (no settings row, no terms asking
    for acceptance) without a query. For tests, whose pages' query counts must not depend on
    which test ran before; the pages actions drop the copies when a test changes them."""
    global _memo, _terms_memo
    now = time.monotonic()
    _memo = (now, SiteSettings(pk=1))
    _terms_memo = (now, 0)


def current_version(slug: str) -> RuleVersion | None:
    return RuleVersion.objects.filter(page__slug=slug).select_related("page").first()


def access_rule_page(slug: str) -> RulePage:
    """One of the five rules pages, or 404."""
    page = RulePage.objects.filter(slug=slug).first()
    if page is None:
        raise Http404("No such page.")
    return page


def rule_versions(page: RulePage) -> list[RuleVersion]:
    """Every version of `page`, newest first, with their writers (staff see the names)."""
    return list(page.versions.select_related("created_by").order_by("-number"))


def access_rule_version(page: RulePage, number: int) -> RuleVersion:
    version = page.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return version


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
