"""Authentication backends that fetch the signed-in account with its preferences joined.

Every page asks the reader's preferences something (time zone, hidden tags, the adult gate):
reading the account and its Preference row in one LEFT JOIN makes that free. A missing row is
remembered as missing, so `preference_of` asks nothing more either."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _WithPreference:
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("preference").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_WithPreference, DjangoModelBackend):
    pass


class AuthenticationBackend(_WithPreference, AllauthBackend):
    pass
