"""Who may see a tag: the Tag.shown_to_guests / shown_to_users flags and their ONE writer.

A tag exists as soon as someone types it, into a draft or a private bookmark too, and its name
is nobody else's business until the archive shows it somewhere. So a tag is shown (its pages,
tag search, autocomplete, fandom lists) only when a wrangler made it canonical, or a work the
viewer may list (works.queries.visible_works) or a public bookmark the viewer may see uses it.
Restricted works count for logged-in readers only, hence two flags. Wranglers see every tag.

Why stored flags: asking "does some visible work use this tag?" per request costs a scan of
the tag's taggings that grows with the tag's drafts, and autocomplete would skip ever more
unshown names in its range scans. The flags are one column each, indexed with the
autocomplete's name range (migration 0007), so tag pages and suggestions stay within their
query budgets however big the archive. They change only when a work's tags or visibility, a
bookmark's tags or privacy, or a tag's canonical status change, and the writers of those call
refresh_tag_audience (or refresh_work_tags_audience) in their own transaction.

This module reads works and bookmarks, apps that sit above tags; it imports them inside the
functions, as the filter table's writer does, so that importing tags stays cheap and acyclic.
"""

from collections.abc import Iterable, Iterator

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Tag

CHUNK = 500


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def shown_tags(viewer, tags: QuerySet[Tag] | None = None) -> QuerySet[Tag]:
    """The tags `viewer` may see (all of them for a wrangler)."""
    tags = Tag.objects.all() if tags is None else tags
    wanted = shown_filter(viewer)
    return tags if wanted is None else tags.filter(**wanted)


def shown_filter(viewer) -> dict[str, bool] | None:
    """The filter keeping the tags `viewer` may see (one indexed column), or None for a
    wrangler, who sees them all."""
    from .permissions import can_wrangle

    if can_wrangle(viewer):
        return None
    if viewer.is_authenticated:
        return {"shown_to_users": True}
    return {"shown_to_guests": True}


def may_see_tag(viewer, tag: Tag) -> bool:
    from .permissions import can_wrangle

    if viewer.is_authenticated:
        return tag.shown_to_users or can_wrangle(viewer)
    return tag.shown_to_guests


def _used(viewer):
    """Exists() expressions: some work `viewer` may list, or some public bookmark `viewer` may
    see, uses the outer tag."""
    from quire.social.models import Bookmark
    from quire.works.models import Tagging
    from quire.works.queries import visible_series, visible_works

    works = visible_works(viewer).values("pk")
    by_work = Tagging.objects.filter(tag=OuterRef("pk"), work__in=works)
    # social.queries.visible_bookmarks without the viewer's own private bookmarks: what a
    # stranger may see, which is what decides whether a name is public.
    # Nor those staff hid, or a spammer's (social.queries.visible_bookmarks leaves them out).
    by_bookmark = (
        Bookmark.objects.filter(tags=OuterRef("pk"), private=False, hidden_by_admin=False)
        .exclude(owner__spammer=True)
        .filter(Q(work__in=works) | Q(series__in=visible_series(viewer).values("pk")))
    )
    return Exists(by_work), Exists(by_bookmark)


def refresh_tag_audience(tag_ids: Iterable[int]) -> None:
    """Make these tags' shown_to_* flags match the works, bookmarks and wrangling as they are
    now. The flags' one writer. Idempotent; one query per CHUNK tags, and an UPDATE only for
    tags whose flags change. Call it in the transaction of the change."""
    from quire.works.queries import ANY_REGISTERED_READER

    guest_work, guest_bookmark = _used(AnonymousUser())
    user_work, user_bookmark = _used(ANY_REGISTERED_READER)
    for chunk in _chunks(sorted(set(tag_ids))):
        rows = (
            Tag.objects.filter(pk__in=chunk)
            .annotate(gw=guest_work, gb=guest_bookmark, uw=user_work, ub=user_bookmark)
            .values_list(
                "pk", "canonical", "shown_to_guests", "shown_to_users", "gw", "gb", "uw", "ub"
            )
        )
        changes: dict[tuple[bool, bool], list[int]] = {}
        for pk, canonical, guests, users, gw, gb, uw, ub in rows:
            wanted = (canonical or gw or gb, canonical or gw or gb or uw or ub)
            if wanted != (guests, users):
                changes.setdefault(wanted, []).append(pk)
        for (guests, users), ids in changes.items():
            Tag.objects.filter(pk__in=ids).update(shown_to_guests=guests, shown_to_users=users)


def work_tag_ids(work_ids: Iterable[int]) -> set[int]:
    """The tags whose audience these works' visibility can change: the works' own tags and
    those of bookmarks of the works or of their series. Canonical tags are left out: they are
    shown whatever uses them. One query per CHUNK works."""
    from quire.social.models import Bookmark
    from quire.works.models import SerialWork, Tagging

    found: set[int] = set()
    for chunk in _chunks(sorted(set(work_ids))):
        series = SerialWork.objects.filter(work_id__in=chunk).values("series_id")
        bookmarks = Bookmark.objects.filter(Q(work_id__in=chunk) | Q(series_id__in=series))
        found |= set(
            Tag.objects.filter(canonical=False)
            .filter(
                Q(pk__in=Tagging.objects.filter(work_id__in=chunk).values("tag_id"))
                | Q(
                    pk__in=Bookmark.tags.through.objects.filter(bookmark__in=bookmarks).values(
                        "tag_id"
                    )
                )
            )
            .values_list("pk", flat=True)
        )
    return found


def refresh_work_tags_audience(work_ids: Iterable[int]) -> None:
    """After these works changed (posted, hidden, restricted, tagged, moved in or out of a
    series): refresh the audience of every tag that hangs on them."""
    refresh_tag_audience(work_tag_ids(work_ids))
