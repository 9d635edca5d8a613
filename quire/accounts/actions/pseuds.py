"""Pseuds: the names a user writes under."""

from django.db import transaction

from quire.works.models import Work
from quire.works.versions import do_bump_work_versions

from ..models import Pseud, User


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
