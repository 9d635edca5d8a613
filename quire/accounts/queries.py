from django.http import Http404

from .models import Pseud, User


def access_user(login: str) -> User:
    """The active account with this login (case-insensitive), or 404."""
    user = User.objects.filter(username__iexact=login, is_active=True).first()
    if user is None:
        raise Http404("No such user.")
    return user


def user_pseuds(user: User):
    return Pseud.objects.filter(user=user).order_by("-is_default", "name")
