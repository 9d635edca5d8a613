"""Writes for accounts, pseuds and preferences. No permission checks here: callers check."""

from django.db import transaction

from quire.works.actions import do_bump_work_versions
from quire.works.models import Work

from .models import Preference, Pseud, User


def do_create_user(
    username: str,
    email: str,
    password: str | None,
    *,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create an account with its default pseud. Password None leaves it unusable."""
    with transaction.atomic():
        user = User(username=username, email=email, is_staff=is_staff, is_superuser=is_superuser)
        user.set_password(password)
        user.save()
        do_create_default_pseud(user)
    return user


def do_create_default_pseud(user: User) -> Pseud:
    """Give `user` its default pseud, named after the login, unless it has one already."""
    pseud = Pseud.objects.filter(user=user, is_default=True).first()
    if pseud is None:
        pseud = Pseud.objects.create(user=user, name=user.username, is_default=True)
    return pseud


def do_create_pseud(user: User, name: str, description: str = "") -> Pseud:
    return Pseud.objects.create(user=user, name=name, description=description)


def do_update_pseud(pseud: Pseud, *, name: str, description: str) -> Pseud:
    """Rename a pseud. Bylines are part of cached work pages, so its works get a new version."""
    with transaction.atomic():
        renamed = pseud.name != name
        pseud.name = name
        pseud.description = description
        pseud.save(update_fields=["name", "description"])
        if renamed:
            do_bump_work_versions(
                Work.objects.filter(creatorships__pseud=pseud).values_list("pk", flat=True)
            )
    return pseud


def do_update_preferences(user: User, **values: bool) -> Preference:
    preference, _ = Preference.objects.get_or_create(user=user)
    for name, value in values.items():
        setattr(preference, name, value)
    preference.save(update_fields=list(values))
    return preference
