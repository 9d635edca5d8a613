"""settings.CSRF_FAILURE_VIEW: what a post that failed the CSRF check gets.

A few forms would lose what the reader did to an expired session or to a guest's cached page
(which carries no token): the comment forms and the kudos button. Their app answers with the
form again and a fresh token. Every other post gets Django's page.

A comment's text comes back only when the post came from this site (its Origin, else its
Referer, names this host): a page on another site could otherwise post its own text here and
leave the reader one click from publishing it. The form is never validated: its cleaner is
what a hostile body makes slow, and a post without a token has earned no work."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.csrf import csrf_failure as django_csrf_failure

from quire.news import views as news
from quire.social.views import comments, kudos

# (namespace, url name) -> the view that recovers the post: it takes the request, whether the
# post came from this site and the URL's arguments, and returns a response, or None for
# Django's page (a work the reader may not see, say).
RECOVERED: dict[tuple[str, str], Callable[..., HttpResponse | None]] = {
    ("social", "kudos-create"): kudos.kudos_after_csrf_failure,
    ("social", "comment-create"): comments.comment_create_after_csrf_failure,
    ("social", "comment-reply"): comments.comment_reply_after_csrf_failure,
    ("social", "comment-edit"): comments.comment_edit_after_csrf_failure,
    ("news", "comment-create"): news.comment_create_after_csrf_failure,
    ("news", "comment-reply"): news.comment_reply_after_csrf_failure,
}


def same_origin(request: HttpRequest) -> bool:
    """Whether the post came from a page of this site: its Origin header, when sent, names
    this host (or a CSRF_TRUSTED_ORIGINS entry); else its Referer does. A post with neither
    (or Origin "null") is not."""
    here = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == here or origin in settings.CSRF_TRUSTED_ORIGINS
    referer = urlsplit(request.headers.get("Referer", ""))
    return f"{referer.scheme}://{referer.netloc}" == here


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return django_csrf_failure(request, reason)
    recover = RECOVERED.get((match.namespace, match.url_name or ""))
    if recover is not None:
        response = recover(request, same_origin=same_origin(request), **match.kwargs)
        if response is not None:
            return response
    return django_csrf_failure(request, reason)
