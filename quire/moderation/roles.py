"""Staff roles (AO3's admin roles, those Quire has work for), as Django groups: each role is a
group holding the permissions its pages check (permissions.staff_required). A staff member is a
user with is_staff and one or more of these groups; a superuser holds every permission anyway.

sync_staff_roles() makes the groups match this table; it runs after every migrate (apps.py)
and as `manage.py sync_staff_roles`. Permissions of apps not installed are skipped, so a role
gains them when its app arrives.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

# Role → permissions, "app_label.codename", or "app_label.*" for all of an app's.
ROLES: dict[str, list[str]] = {
    "Superuser": ["*"],
    "Policy & Abuse": [
        "moderation.view_abusereport",
        "moderation.change_abusereport",
        "moderation.hide_content",
        "moderation.mark_spammer",
        "moderation.delete_spam_comments",
        "moderation.sanction_user",
        "moderation.view_sanction",
        "moderation.view_activityentry",
    ],
    "Support": [
        "moderation.view_supportticket",
        "moderation.change_supportticket",
        "invitations.add_invitation",  # /staff/invitations: release the queue, give codes
    ],
    "Tag Wrangling": ["tags.wrangle_tags"],
    "Communications": [
        "pages.change_sitesettings",
        "pages.add_ruleversion",
        "news.*",
    ],
}


def role_permissions(names: list[str]) -> list[Permission]:
    """The Permission rows `names` stand for; names whose app or codename is missing are
    skipped."""
    if "*" in names:
        return list(Permission.objects.all())
    wanted = Q(pk__in=[])
    for name in names:
        app_label, _, codename = name.partition(".")
        if codename == "*":
            wanted |= Q(content_type__app_label=app_label)
        else:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(wanted))


def sync_staff_roles() -> dict[str, int]:
    """Make each role's group exist and hold exactly its permissions. Idempotent. Returns
    each role's number of permissions."""
    counts = {}
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = role_permissions(names)
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts
