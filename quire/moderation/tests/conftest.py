"""Moderation's cast: staff members holding one role each (quire/moderation/roles.py)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client

from quire.accounts.tests.browser_helpers import client_log_in, enable_totp
from quire.moderation.roles import sync_staff_roles
from quire.pages.queries import forget_site_settings
from quire.testing import make_user


def make_staff(username: str, role: str | None, **flags):
    """A staff member holding `role`, with an authenticator app (staff pages need it)."""
    sync_staff_roles()
    user = make_user(username, is_staff=True, **flags)
    if role:
        user.groups.add(Group.objects.get(name=role))
    enable_totp(user)
    return user


def staff_client_for(user) -> Client:
    """A client logged in as staff through the real pages, with the second factor."""
    client = Client()
    # A code computed just before its 30 seconds turn is refused once in a while: try again.
    for _attempt in range(2):
        client_log_in(client, user)
        if client.session.get("_auth_user_id"):
            break
    return client


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
    return staff_client_for(policy)


@pytest.fixture
def support_client(support_staff):
    return staff_client_for(support_staff)


@pytest.fixture
def superuser_client(db):
    return staff_client_for(make_staff("boss", None, is_superuser=True))
