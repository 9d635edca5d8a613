"""Making accounts: every way of making one ends in do_create_user."""

from allauth.account.models import EmailAddress
from django.db import transaction

from ..models import Pseud, User


def do_create_user(username: str, email: str | None, password: str | None, **fields) -> User:
    """Create an account with its default pseud; `fields` are other User fields (is_staff,
    is_superuser ...). Password None leaves it unusable. Every way of making an account
    (sign-up, create_user/create_superuser, the admin) ends up here or in
    do_create_default_pseud.

    The e-mail address counts as confirmed: whoever runs this (an admin, a command, the demo
    seeding) vouches for it, and logging in needs a confirmed address. Sign-up goes through
    allauth instead, which has the owner confirm it."""
    with transaction.atomic():
        user = User(username=username, email=email or "", **fields)
        user.set_password(password)
        user.save()
        if user.email:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        do_create_default_pseud(user)
    return user


def do_create_default_pseud(user: User) -> Pseud:
    """Give `user` its default pseud, named after the login, unless it has one already."""
    pseud = Pseud.objects.filter(user=user, is_default=True).first()
    if pseud is None:
        pseud = Pseud.objects.create(user=user, name=user.username, is_default=True)
    return pseud
