"""Reads of sanctions: what applies to a user now, and their history."""

from django.db.models import QuerySet

from quire.accounts.models import User

from ..models import Sanction, SanctionKind
from ..permissions import is_suspended


def sanctions_of(user: User) -> QuerySet[Sanction]:
    return Sanction.objects.filter(user=user).select_related("by")


def current_sanction(user: User) -> Sanction | None:
    """The ban or suspension in force, with its reason; None when neither applies."""
    if user.banned:
        kind = SanctionKind.BAN
    elif is_suspended(user):
        kind = SanctionKind.SUSPENSION
    else:
        return None
    return Sanction.objects.filter(user=user, kind=kind).first()
