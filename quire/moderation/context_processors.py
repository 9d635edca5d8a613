"""The notice a suspended or banned user sees on every page while it applies."""

from .permissions import is_suspended


def sanction_notice(request) -> dict:
    user = getattr(request, "user", None)
    # Only the user's row is read here (no query) unless a sanction applies.
    if user is None or not user.is_authenticated or not (user.banned or is_suspended(user)):
        return {}
    from .queries import current_sanction

    return {"sanction_notice": {"user": user, "sanction": current_sanction(user)}}
