from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .queries import inbox_unread_count


def inbox(request: HttpRequest) -> dict:
    """The header's unread inbox count, counted only when a page shows it (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: inbox_unread_count(user))}
