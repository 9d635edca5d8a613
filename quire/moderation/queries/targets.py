"""What a reported URL names on this archive, and what staff pages say about such a target.

A report's URL is read, never fetched: its host must be the site's (lib.site.site_url), and
its path is matched against the archive's public pages. Only the kinds staff act on resolve;
any other page of ours is kept as a URL without a target.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse

from quire.accounts.models import Pseud, User
from quire.lib.numbers import bounded_int
from quire.social.models import Bookmark, Comment
from quire.works.models import Chapter, Series, Work


def _id(text: str) -> int | None:
    number = bounded_int(text, low=1)
    return None if number is None or number.clamped else number.value


def _work(work_id: str) -> Work | None:
    pk = _id(work_id)
    return Work.objects.filter(pk=pk).first() if pk else None


def _work_chapter(work_id: str, chapter_id: str) -> Chapter | None:
    work_pk, chapter_pk = _id(work_id), _id(chapter_id)
    if not (work_pk and chapter_pk):
        return None
    return Chapter.objects.filter(pk=chapter_pk, work_id=work_pk).first()


def _by_pk(model: type[models.Model]) -> Callable[[str], models.Model | None]:
    def find(pk_text: str) -> models.Model | None:
        pk = _id(pk_text)
        return model._default_manager.filter(pk=pk).first() if pk else None

    return find


def _user(login: str) -> User | None:
    return User.objects.filter(username__iexact=login).first()


def _pseud(login: str, name: str) -> Pseud | None:
    return Pseud.objects.filter(user__username__iexact=login, name__iexact=name).first()


# First match wins: a chapter's URL before its work's, a pseud's before its user's.
_PATTERNS: list[tuple[re.Pattern[str], Callable[..., models.Model | None]]] = [
    (re.compile(r"/works/(\d+)/chapters/(\d+)(?:/.*)?"), _work_chapter),
    (re.compile(r"/chapters/(\d+)(?:/.*)?"), _by_pk(Chapter)),
    (re.compile(r"/works/(\d+)(?:/.*)?"), _work),
    (re.compile(r"/series/(\d+)(?:/.*)?"), _by_pk(Series)),
    (re.compile(r"/comments/(\d+)(?:/.*)?"), _by_pk(Comment)),
    (re.compile(r"/bookmarks/(\d+)(?:/.*)?"), _by_pk(Bookmark)),
    (re.compile(r"/users/([^/]+)/pseuds/([^/]+)(?:/.*)?"), _pseud),
    (re.compile(r"/users/([^/]+)(?:/.*)?"), _user),
]


def split_archive_url(url: str, site: str) -> tuple[str, str] | None:
    """(the normalised URL, its path) when `url` is a page of the archive at `site`, else None.
    A URL typed without a scheme, or a bare path, is read as the site's. Normalised: scheme
    and host in lower case, no query, fragment or trailing slash, so the throttle counts one
    page once."""
    text = url.strip()
    if text.startswith("/") and not text.startswith("//"):
        text = site + text  # a path on this archive
    elif "://" not in text:
        text = f"{urlsplit(site).scheme}://{text.lstrip('/')}"
    try:
        parts = urlsplit(text)
        ours = urlsplit(site)
        port, our_port = parts.port, ours.port
    except ValueError:  # a malformed port or IPv6 address
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.hostname != ours.hostname or (port or None) != (our_port or None):
        return None
    path = parts.path.rstrip("/") or "/"
    return f"{ours.scheme}://{parts.netloc.lower()}{path}", path


# AO3 allows fewer reports of one comment, series or bookmark (3 in 30 days) than of one
# work or user (5 in 31 days). Decided by the path alone, never by what it resolves to, so
# the limit says nothing of whether a hidden or deleted thing exists.
_MINOR_PATH = re.compile(r"/(?:comments|series|bookmarks)/")


def report_url_limit(path: str) -> str:
    """The rate limit (settings.RATE_LIMITS) of reports of the page at `path`."""
    return "abuse_report_url_minor" if _MINOR_PATH.match(path) else "abuse_report_url"


def resolve_target(path: str) -> models.Model | None:
    """The work, chapter, series, comment, bookmark, pseud or user the path names, if it
    exists. Hidden or draft things resolve too: staff need to see what was reported."""
    for pattern, find in _PATTERNS:
        match = pattern.fullmatch(path)
        if match:
            return find(*match.groups())
    return None


@dataclass(frozen=True)
class TargetView:
    """A target as staff pages show it: its kind, label, public URL and the accounts behind it."""

    kind: str
    label: str
    url: str
    creators: list[User]


def describe_target(target: models.Model | None) -> TargetView | None:
    if target is None:
        return None
    if isinstance(target, Work):
        return TargetView("Work", target.title, _work_url(target), _work_creators(target))
    if isinstance(target, Chapter):
        url = reverse("works:chapter-show", args=[target.work_id, target.pk])
        label = f"Chapter {target.position} of {target.work.title}"
        return TargetView("Chapter", label, url, _work_creators(target.work))
    if isinstance(target, Series):
        url = reverse("works:series-show", args=[target.pk])
        users = list(User.objects.filter(pseuds__series=target).distinct())
        return TargetView("Series", target.title, url, users)
    if isinstance(target, Comment):
        url = reverse("social:comment-show", args=[target.pk])
        users = [target.user] if target.user is not None else []
        return TargetView("Comment", f"Comment on {target.work.title}", url, users)
    if isinstance(target, Bookmark):
        url = reverse("social:user-bookmarks", args=[target.owner.username])
        thing = target.work or target.series
        return TargetView("Bookmark", f"Bookmark of {thing}", url, [target.owner])
    if isinstance(target, Pseud):
        url = reverse("accounts:pseud-show", args=[target.user.username, target.name])
        return TargetView("Pseud", f"{target.name} ({target.user.username})", url, [target.user])
    if isinstance(target, User):
        url = reverse("accounts:dashboard", args=[target.username])
        return TargetView("User", target.username, url, [target])
    return TargetView(type(target).__name__, str(target), "", [])


def _work_url(work: Work) -> str:
    return reverse("works:work-show", args=[work.pk])


def _work_creators(work: Work) -> list[User]:
    return list(User.objects.filter(pseuds__creatorships__work=work).distinct().order_by("pk"))
