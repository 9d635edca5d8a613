"""Writes of the site's settings, rules pages and terms acceptances. No permission checks:
the staff views check (pages.permissions)."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from quire.accounts.models import User
from quire.lib.sanitize import sanitize_html
from quire.moderation.actions import do_log

from .models import RulePage, RuleVersion, SiteSettings, TermsAcceptance
from .queries import TERMS, current_version, forget_required_terms, forget_site_settings

# Settings whose old and new values the activity log writes out; the banner is HTML of any
# length, so the log only says that it changed.
_LOGGED_VALUES = ("signups", "guest_comments", "downloads", "support_form", "invitations_per_day")


def do_accept_terms(user: User, version: RuleVersion | None = None) -> TermsAcceptance | None:
    """Record that `user` accepted `version` of the terms (the current one by default).
    Nothing to record before any version exists."""
    version = version or current_version(TERMS)
    if version is None:
        return None
    acceptance, _ = TermsAcceptance.objects.get_or_create(user=user, version=version)
    return acceptance


def do_publish_rule_version(
    page: RulePage,
    *,
    body: str,
    change_note: str = "",
    needs_acceptance: bool = False,
    by: User | None,
) -> RuleVersion:
    """Publish a new version of a rules page (sanitized here, whatever the caller did);
    versions are never edited. Only the terms can ask users to accept them again. Logged in
    the staff activity log; every worker sees a new terms number within SETTINGS_TTL."""
    for _ in range(3):  # two staff saving at once: the later one takes the next number
        try:
            with transaction.atomic():
                number = (page.versions.aggregate(top=Max("number"))["top"] or 0) + 1
                version = RuleVersion.objects.create(
                    page=page,
                    number=number,
                    body=sanitize_html(body),
                    change_note=change_note,
                    needs_acceptance=needs_acceptance and page.slug == TERMS,
                    created_by=by,
                )
                do_log(by, "publish_rule_version", version, note=change_note)
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError(f"Could not number a new version of {page.slug}.")
    forget_required_terms()
    transaction.on_commit(forget_required_terms)
    return version


def _describe_changes(row: SiteSettings, values: dict) -> str:
    changes = []
    for name in _LOGGED_VALUES:
        if name in values and values[name] != getattr(row, name):
            changes.append(f"{name}: {getattr(row, name)} → {values[name]}")
    if "banner" in values and values["banner"] != row.banner:
        changes.append("banner changed" if values["banner"] else "banner removed")
    return "; ".join(changes)


def do_update_site_settings(*, by: User | None = None, **values) -> SiteSettings:
    """Change site settings (field=value). A new banner text gets a new banner_changed_at, so
    readers who dismissed the old banner see the new one. A change is logged in the staff
    activity log with what changed when `by`, a staff member, made it (not for set-up code
    and tests, which pass no one)."""
    if "banner" in values:
        values["banner"] = sanitize_html(values["banner"]).strip()
    with transaction.atomic():
        row, _ = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        changes = _describe_changes(row, values)
        if "banner" in values and values["banner"] != row.banner:
            row.banner_changed_at = timezone.now()
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        if changes and by is not None:
            do_log(by, "change_site_settings", row, note=changes)
    forget_site_settings()
    transaction.on_commit(forget_site_settings)
    return row
