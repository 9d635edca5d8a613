from allauth.account.adapter import DefaultAccountAdapter

from .actions import do_create_default_pseud
from .ratelimit import TOO_MANY, login_refused, record_login_failure


def _typed_login(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, "too_many_login_attempts": TOO_MANY}

    def save_user(self, request, user, form, commit=True):
        # Every account writes under a default pseud named after its login from the start.
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            do_create_default_pseud(user)
        return user

    def pre_authenticate(self, request, **credentials):
        # In place of allauth's own limit, which counts in each worker's memory and per
        # spelling of the login: accounts/ratelimit.py.
        if login_refused(request, _typed_login(credentials)):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        record_login_failure(request, _typed_login(credentials))
