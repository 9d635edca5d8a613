from django.http import Http404

from .models import Block, Mute, Pseud, User


def access_user(login: str) -> User:
    """The active account with this login (case-insensitive), or 404."""
    user = User.objects.filter(username__iexact=login, is_active=True).first()
    if user is None:
        raise Http404("No such user.")
    return user


def user_pseuds(user: User):
    return Pseud.objects.filter(user=user).order_by("-is_default", "name")


# Block and mute. Other apps (comments, kudos, listings) ask these; they never read the tables.


def blocked_by_any(user, owner_ids) -> bool:
    """Whether any of `owner_ids` (a work's creators, a comment's author) has blocked `user`.
    Guests are never blocked: blocking is of accounts."""
    if user is None or not user.is_authenticated or not owner_ids:
        return False
    return Block.objects.filter(blocker_id__in=list(owner_ids), blocked=user).exists()


def muted_user_ids(user) -> frozenset[int]:
    """The users whose works, bookmarks and comments `user` has hidden from themself."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(Mute.objects.filter(muter=user).values_list("muted_id", flat=True))
