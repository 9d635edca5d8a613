"""What a reader's display preferences change on work pages and blurbs, and how the cached
fragments of those pages are told apart.

The blurb and tag-list fragments are cached by (work, version) and shared by every reader.
A reader who hides warnings or additional tags, or reads in another time zone than the
site's, gets a fragment of their own *variant*: the variant is part of the cache key, and is
empty for everyone else, so their key (and the fragment guests and most readers share) is the
one it always was. A creator always sees their own work's tags, as on AO3.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from quire.accounts.queries import preference_of

from .models import Creatorship


@dataclass(frozen=True)
class TagHiding:
    """Which tag types a reader sees behind a "Show ..." reveal on one work."""

    warnings: bool = False
    freeform: bool = False

    @property
    def key(self) -> str:
        return ("w" if self.warnings else "") + ("f" if self.freeform else "")


NOTHING_HIDDEN = TagHiding()


def tag_hiding(viewer, *, creator: bool) -> TagHiding:
    """What `viewer` hides on a work; `creator`: whether it is theirs (then nothing)."""
    preference = preference_of(viewer)
    if creator or not (preference.hide_warnings or preference.hide_freeform):
        return NOTHING_HIDDEN
    return TagHiding(preference.hide_warnings, preference.hide_freeform)


def _own_work_ids(viewer) -> frozenset[int]:
    """The works `viewer` is a creator of, asked once a request (kept on the user object) and
    only for readers who hide tags, whose own works' blurbs show them."""
    own = getattr(viewer, "_quire_own_work_ids", None)
    if own is None:
        own = frozenset(
            Creatorship.objects.filter(pseud__user=viewer).values_list("work_id", flat=True)
        )
        viewer._quire_own_work_ids = own
    return own


def blurb_hiding(viewer, work_id: int) -> TagHiding:
    preference = preference_of(viewer)
    if not (preference.hide_warnings or preference.hide_freeform):
        return NOTHING_HIDDEN
    return tag_hiding(viewer, creator=work_id in _own_work_ids(viewer))


def zone_variant() -> str:
    """The active time zone when it is not the site's: blurbs show a date in it."""
    name = timezone.get_current_timezone_name()
    return "" if name == settings.TIME_ZONE else name


def fragment_version(version: int, *parts: str) -> str:
    """The version part of a fragment's cache key, with the variant's parts after it: just the
    version when they are empty, so the shared fragment keeps its key."""
    variant = "|".join(part for part in parts if part)
    return f"{version}|{variant}" if variant else str(version)
