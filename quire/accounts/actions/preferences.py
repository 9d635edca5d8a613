"""A user's preferences."""

from django.db import transaction

from ..models import Preference, User


def do_update_preferences(user: User, **values: bool | str) -> Preference:
    """Store these preference values for `user` (the row is made on first save). They apply
    from the user's next request: the account is read with its row each time."""
    with transaction.atomic():
        preference, _ = Preference.objects.get_or_create(user=user)
        for name, value in values.items():
            setattr(preference, name, value)
        preference.save(update_fields=list(values))
    user.preference = preference
    return preference
