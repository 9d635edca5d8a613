import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from quire.accounts.tests.browser_helpers import client_log_in, enable_totp
from quire.testing import make_user


def staff_with_perms(username: str, *codenames: str):
    user = make_user(username, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=codenames)
    )
    return user


def staff_client(user) -> Client:
    """Staff logged in as staff pages require: with an authenticator app's code."""
    enable_totp(user)
    client = Client()
    client_log_in(client, user)
    return client


@pytest.fixture
def editor(db):
    """Staff who may edit the rules pages and the site settings (not a superuser)."""
    return staff_with_perms("editor", "add_ruleversion", "change_sitesettings")


@pytest.fixture
def editor_client(editor):
    return staff_client(editor)


@pytest.fixture
def plain_staff(db):
    """Staff without this app's permissions."""
    return make_user("plainstaff", is_staff=True)
