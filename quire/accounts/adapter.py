from allauth.account.adapter import DefaultAccountAdapter

from .actions import do_create_default_pseud


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Every account writes under a default pseud named after its login from the start.
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            do_create_default_pseud(user)
        return user
