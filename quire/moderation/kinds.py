"""What staff may hide, one entry per kind (the `<kind>` of /staff/hide/<kind>/<id>): its
model, who made it, how to set its flag (the owning app's action, which bumps versions and
moves counts), and where it is read. A registry, never string dispatch on model names."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from quire.accounts.actions import do_set_pseud_hidden
from quire.accounts.models import Pseud, User
from quire.social.actions import do_set_bookmark_hidden, do_set_comment_hidden
from quire.social.models import Bookmark, Comment
from quire.works.actions import do_set_chapter_hidden, do_set_hidden_by_admin, do_set_series_hidden
from quire.works.models import Chapter, Series, Work


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    label: str
    # Any: each entry's functions take its own model.
    makers: Callable[[Any], list[User]]
    set_hidden: Callable[..., object]
    url: Callable[[Any], str]


def _work_makers(work) -> list[User]:
    return list(User.objects.filter(pseuds__creatorships__work=work).distinct())


def _series_makers(series) -> list[User]:
    return list(User.objects.filter(pseuds__series=series).distinct())


def _one(user) -> list[User]:
    return [user] if user is not None else []


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "work",
            Work,
            "work",
            _work_makers,
            do_set_hidden_by_admin,
            lambda work: reverse("works:work-show", args=[work.pk]),
        ),
        Kind(
            "series",
            Series,
            "series",
            _series_makers,
            do_set_series_hidden,
            lambda series: reverse("works:series-show", args=[series.pk]),
        ),
        Kind(
            "chapter",
            Chapter,
            "chapter",
            lambda chapter: _work_makers(chapter.work_id),
            do_set_chapter_hidden,
            lambda chapter: reverse("works:chapter-show", args=[chapter.work_id, chapter.pk]),
        ),
        Kind(
            "comment",
            Comment,
            "comment",
            lambda comment: _one(comment.user),
            do_set_comment_hidden,
            lambda comment: reverse("social:comment-show", args=[comment.pk]),
        ),
        Kind(
            "bookmark",
            Bookmark,
            "bookmark",
            lambda bookmark: _one(bookmark.owner),
            do_set_bookmark_hidden,
            lambda bookmark: reverse("social:user-bookmarks", args=[bookmark.owner.username]),
        ),
        Kind(
            "pseud",
            Pseud,
            "pseud",
            lambda pseud: _one(pseud.user),
            do_set_pseud_hidden,
            lambda pseud: reverse("accounts:pseud-show", args=[pseud.user.username, pseud.name]),
        ),
    )
}


def kind_of(target: models.Model) -> Kind:
    for kind in KINDS.values():
        if isinstance(target, kind.model):
            return kind
    raise LookupError(f"{type(target).__name__} cannot be hidden")
