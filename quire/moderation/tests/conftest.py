"""Moderation's cast: staff members holding one role each (quire/moderation/roles.py)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from quire.conftest import client_for
from quire.moderation.roles import sync_staff_roles
from quire.pages.queries import forget_site_settings
from quire.testing import make_user


def make_staff(username: str, role: str | None):
    sync_staff_roles()
    user = make_user(username, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture(autouse=True)
def _fresh_limits_and_settings(settings):
    # Each test starts with no counted events and the default site settings (a worker keeps
    # its copy of them for a few seconds: pages.queries.site_settings).
    caches["ratelimit"].clear()
    forget_site_settings()
    settings.SPAM_MIN_FORM_SECONDS = 0
    yield
    caches["ratelimit"].clear()
    forget_site_settings()


@pytest.fixture
def policy(db):
    return make_staff("policy", "Policy & Abuse")


@pytest.fixture
def support_staff(db):
    return make_staff("helper", "Support")


@pytest.fixture
def policy_client(policy):
    return client_for(policy)


@pytest.fixture
def support_client(support_staff):
    return client_for(support_staff)
