import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from quire.moderation.roles import ROLES, role_permissions, sync_staff_roles

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_sync_is_idempotent_and_restores_a_changed_group():
    first = sync_staff_roles()
    group = Group.objects.get(name="Support")
    group.permissions.clear()
    call_command("sync_staff_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sync_staff_roles() == first
    assert Group.objects.filter(name__in=list(ROLES)).count() == len(ROLES)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"view_supportticket", "change_supportticket", "add_invitation"}


def test_permissions_of_missing_apps_are_skipped():
    assert role_permissions(["nothing.*", "moderation.nothing_here"]) == []


def test_the_roles_hold_what_their_pages_check(policy):
    assert policy.has_perm("moderation.change_abusereport")
    assert policy.has_perm("moderation.sanction_user")
    assert policy.has_perm("moderation.hide_content")
    assert policy.has_perm("moderation.mark_spammer")
    assert not policy.has_perm("moderation.change_supportticket")
    assert not policy.has_perm("pages.change_sitesettings")
    assert (
        Group.objects.get(name="Tag Wrangling").permissions.filter(codename="wrangle_tags").exists()
    )
    communications = Group.objects.get(name="Communications").permissions
    assert communications.filter(codename="change_sitesettings").exists()
