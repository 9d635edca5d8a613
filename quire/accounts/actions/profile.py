"""The profile: a title and an "about me" text (AO3's /users/:login/profile)."""

from ..models import User


def do_update_profile(user: User, *, title: str, about: str) -> User:
    """Save the profile's title and about text, as typed (sanitized when shown)."""
    user.profile_title = title
    user.profile_about = about
    user.save(update_fields=["profile_title", "profile_about"])
    return user
