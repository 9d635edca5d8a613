"""Writes of the site's settings and terms acceptances."""

from django.db import transaction
from django.utils import timezone

from quire.accounts.models import User

from .models import RuleVersion, SiteSettings, TermsAcceptance
from .queries import TERMS, current_version, forget_site_settings


def do_accept_terms(user: User, version: RuleVersion | None = None) -> TermsAcceptance | None:
    """Record that `user` accepted `version` of the terms (the current one by default).
    Nothing to record before any version exists."""
    version = version or current_version(TERMS)
    if version is None:
        return None
    acceptance, _ = TermsAcceptance.objects.get_or_create(user=user, version=version)
    return acceptance


def do_update_site_settings(**values) -> SiteSettings:
    """Change site settings (field=value). A new banner text gets a new banner_changed_at, so
    readers who dismissed the old banner see the new one."""
    with transaction.atomic():
        row, _ = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        if "banner" in values and values["banner"] != row.banner:
            row.banner_changed_at = timezone.now()
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    forget_site_settings()
    return row
