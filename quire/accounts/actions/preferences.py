"""A user's preferences."""

from ..models import Preference, User


def do_update_preferences(user: User, **values: bool) -> Preference:
    preference, _ = Preference.objects.get_or_create(user=user)
    for name, value in values.items():
        setattr(preference, name, value)
    preference.save(update_fields=list(values))
    return preference
