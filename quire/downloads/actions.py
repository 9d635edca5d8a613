"""Writes of the downloads app: only the stored files (the cache has no database rows)."""

from contextlib import suppress

from quire.works.models import Series, Work

from .cache import downloads_storage


def do_prune_downloads() -> int:
    """Delete the stored files of works that are gone or no longer downloadable (drafts again,
    hidden, in an unrevealed collection) and of deleted series. A work's older versions are
    deleted when a newer file is built, so this is only for what no request will reach again.
    Returns how many files went."""
    storage = downloads_storage()
    removed = 0
    keep_works = set(
        Work.objects.filter(posted=True, hidden_by_admin=False, in_unrevealed_collection=False)
        .exclude(creatorships__pseud__user__spammer=True)
        .values_list("pk", flat=True)
    )
    keep_series = set(Series.objects.values_list("pk", flat=True))
    for folder, keep in (("works", keep_works), ("series", keep_series)):
        with suppress(FileNotFoundError):
            object_ids, _ = storage.listdir(folder)
            for object_id in object_ids:
                if object_id.isdigit() and int(object_id) in keep:
                    continue
                _, files = storage.listdir(f"{folder}/{object_id}")
                for name in files:
                    storage.delete(f"{folder}/{object_id}/{name}")
                    removed += 1
    return removed
