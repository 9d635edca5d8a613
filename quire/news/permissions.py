"""Who may write news posts and who may comment on them. Plain predicates, and the one
decorator of the news staff pages."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from quire.accounts.permissions import staff_mfa_required
from quire.accounts.queries import blocked_by_any
from quire.lib.http import login_redirect
from quire.moderation.permissions import participation_refusal

from .models import NewsComment, NewsPost

ADD = "news.add_newspost"
CHANGE = "news.change_newspost"
DELETE = "news.delete_newspost"


def is_news_staff(user, perm: str = CHANGE) -> bool:
    """A staff account holding `perm` (a superuser holds them all)."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm(perm))


def can_see_drafts(user) -> bool:
    return is_news_staff(user, ADD) or is_news_staff(user, CHANGE)


def news_staff_required(perm: str) -> Callable:
    """A view for staff holding `perm`: a guest is sent to log in, anyone else gets a 403
        (the page's existence is no secret; a draft's is, and access_post keeps it). Staff sign in
    with their second factor first."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # Staff pages need the second factor (accounts.permissions.staff_mfa_required).
        @staff_mfa_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return login_redirect(request)
            if not is_news_staff(request.user, perm):
                raise PermissionDenied("Only staff can write news posts.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Comments ----------------------------------------------------------------------------------

CLOSED = "Comments are closed."
GUESTS_OFF = "Sorry, only registered users can comment at the moment."
NO_REPLY_HERE = "Sorry, you can't reply to that comment."
BLOCKED_BY_COMMENTER = "Sorry, you have been blocked by that user."


def news_comment_refusal(
    user, post: NewsPost, parent: NewsComment | None = None, *, guest_comments: bool = True
) -> str | None:
    """Why `user` (anonymous for a guest) may not comment on `post`, or reply to `parent`,
    else None. `guest_comments` is the site setting (pages.queries.site_settings). One query
    for a logged-in reply (the block), none otherwise; the rate limit is asked separately."""
    if not post.comments_open():
        return CLOSED
    suspended = participation_refusal(user, "comment")
    if suspended:
        return suspended
    if parent is not None and parent.deleted:
        return NO_REPLY_HERE
    if not user.is_authenticated:
        return None if guest_comments else GUESTS_OFF
    replying_to = parent.user_id if parent is not None else None
    if replying_to and replying_to != user.pk and blocked_by_any(user, [replying_to]):
        return BLOCKED_BY_COMMENTER
    return None


def can_delete_news_comment(user, comment: NewsComment) -> bool:
    """The comment's author, or staff who may change news posts."""
    if not user.is_authenticated or comment.deleted:
        return False
    return comment.user_id == user.pk or is_news_staff(user, CHANGE)
