"""Who may hide content, mark spammers and delete comments in bulk: staff holding the
permission. Kept apart so that moderation.permissions.staff_required can take its place."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse


def has_staff_perm(user, perm: str) -> bool:
    """A staff account holding `moderation.<perm>` (superusers hold every permission)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm(f"moderation.{perm}")
    )


def staff_with(perm: str) -> Callable:
    """A view decorator: anyone else gets the 404 of a page that does not exist."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_staff_perm(request.user, perm):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
