from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.db import transaction

from quire.invitations.actions import do_redeem_invitation
from quire.pages.actions import do_accept_terms
from quire.pages.models import SignupMode
from quire.pages.queries import site_settings

from .actions import do_create_default_pseud
from .queries import username_refusal
from .ratelimit import TOO_MANY, login_refused, record_login_failure


def _typed_login(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class InvitationUsed(Exception):
    """The invitation was redeemed between showing the sign-up form and sending it."""


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, "too_many_login_attempts": TOO_MANY}

    def is_open_for_signup(self, request):
        # site_settings().signups: open to all, by invitation (a usable code in the URL:
        # views/signup.py puts it on the request), or closed. Closed pages say which.
        mode = site_settings().signups
        if mode == SignupMode.INVITATION:
            return getattr(request, "invitation", None) is not None
        return mode == SignupMode.OPEN

    def save_user(self, request, user, form, commit=True):
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if commit:
                # Every account writes under a default pseud named after its login.
                do_create_default_pseud(user)
                # The form made them accept the current terms; record which version.
                do_accept_terms(user)
                invitation = getattr(request, "invitation", None)
                if invitation is not None and not do_redeem_invitation(invitation.token, user):
                    # Used by someone else since the form was shown: no account either.
                    raise InvitationUsed
        return user

    def clean_username(self, username, shallow=False):
        # Past logins stay with their account (redirects) and orphan_account is reserved:
        # accounts/actions/usernames.py.
        username = super().clean_username(username, shallow=shallow)
        refusal = username_refusal(username)
        if refusal and not shallow:
            raise ValidationError(refusal)
        return username

    def pre_authenticate(self, request, **credentials):
        # In place of allauth's own limit, which counts in each worker's memory and per
        # spelling of the login: accounts/ratelimit.py.
        if login_refused(request, _typed_login(credentials)):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        record_login_failure(request, _typed_login(credentials))
