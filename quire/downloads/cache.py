"""The download cache: one stored file per (work, version, format), built on first request.

- Files live in the "downloads" storage (settings.STORAGES; a folder under the data dir by
  default, any Django storage across machines).
- A file is written under a temporary name and renamed into place, so a reader never gets half
  a file; object storages' uploads are atomic already.
- A lock per file makes concurrent requests build once: flock on a lock file for the processes
  (and threads) of one machine, or an atomic cache add in Redis when REDIS_URL is set. Whoever
  waited finds the file built and serves it.
- The key holds the work's version, so any change to the work (every change bumps it) makes a
  new file; the older ones of that format are deleted after the new one is in place.
- A build that fails (BuildFailed) leaves `<key>.failed` holding the reason, in the same
  storage, so no worker on any machine builds that file again: every request for it raises
  BuildFailed at once, until a new version (a new key) tries again.
"""

import fcntl
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

from quire.lib.site import site_url

from .formats.failures import BuildFailed

# Bump when the builders change what they write, so old files are not served again.
FORMAT_REVISION = 1
LOCK_TIMEOUT = 900  # seconds a Redis lock lives if its builder dies
LOCK_POLL = 0.05


@dataclass
class StoredFile:
    storage: Storage
    name: str

    @property
    def etag(self) -> str:
        return etag_for(self.name)

    def open(self):
        return self.storage.open(self.name, "rb")


def etag_for(name: str) -> str:
    """A stored file's ETag, from its name alone: the name holds the work's version."""
    return '"' + hashlib.sha1(name.encode()).hexdigest()[:20] + '"'  # noqa: S324


def downloads_storage() -> Storage:
    return storages["downloads"]


def _settings_tag() -> str:
    """What else goes into every file: the site's name and address, the builders' revision."""
    text = f"{settings.SITE_NAME}\n{site_url()}\n{FORMAT_REVISION}"
    return hashlib.sha1(text.encode()).hexdigest()[:8]  # noqa: S324 - a cache key, not a secret


def work_file_key(work, ext: str) -> str:
    return f"works/{work.pk}/v{work.version}-{_settings_tag()}.{ext}"


def series_file_key(series, works, ext: str = "epub") -> str:
    """A series file depends on which works the reader may see and on their versions."""
    parts = ",".join(f"{work.pk}:{work.version}" for work in works)
    digest = hashlib.sha1(  # noqa: S324 - a cache key
        f"{series.updated_at.isoformat()}|{parts}".encode()
    ).hexdigest()[:16]
    return f"series/{series.pk}/{digest}-{_settings_tag()}.{ext}"


def stored(key: str) -> StoredFile | None:
    storage = downloads_storage()
    return StoredFile(storage, key) if storage.exists(key) else None


FAILED_SUFFIX = ".failed"


def cached_build(key: str, build: Callable[[], bytes]) -> StoredFile:
    """The stored file named `key`, built by `build()` (once, whoever else asks at the same
    time) if it is not there yet. Raises BuildFailed if this build failed, now or before."""
    found = stored(key)
    if found:
        return found
    storage = downloads_storage()
    _raise_if_failed(storage, key)
    with build_lock(key):
        found = stored(key)
        if found:  # built while we waited
            return found
        _raise_if_failed(storage, key)  # failed while we waited
        try:
            data = build()
        except BuildFailed as failure:
            save_atomically(storage, key + FAILED_SUFFIX, str(failure).encode())
            _forget_older(storage, key, keep=key + FAILED_SUFFIX)
            raise
        save_atomically(storage, key, data)
        _forget_older(storage, key, keep=key)
        return StoredFile(storage, key)


def _raise_if_failed(storage: Storage, key: str) -> None:
    if storage.exists(key + FAILED_SUFFIX):
        with storage.open(key + FAILED_SUFFIX, "rb") as reason:
            raise BuildFailed(reason.read().decode(errors="replace"))


def save_atomically(storage: Storage, key: str, data: bytes) -> None:
    if isinstance(storage, FileSystemStorage):
        path = Path(storage.path(key))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    else:
        if storage.exists(key):
            storage.delete(key)
        storage.save(key, ContentFile(data))


def _forget_older(storage: Storage, key: str, *, keep: str) -> None:
    """Delete this work's (or series') earlier files of the same format, and the records of
    earlier failures to build it, all but `keep`."""
    folder, _, name = key.rpartition("/")
    ext = name.rsplit(".", 1)[-1]
    kept = keep.rpartition("/")[2]
    try:
        _, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for other in files:
        if (
            other != kept
            and other.endswith((f".{ext}", f".{ext}{FAILED_SUFFIX}"))
            and not other.startswith(".")
        ):
            with suppress(FileNotFoundError):
                storage.delete(f"{folder}/{other}")


@contextmanager
def build_lock(key: str) -> Iterator[None]:
    if settings.REDIS_URL:
        with _cache_lock(key):
            yield
    else:
        with _file_lock(key):
            yield


def _lock_dir() -> Path:
    storage = downloads_storage()
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location) / ".locks"
    return Path(settings.DATA_DIR) / "download-locks"


@contextmanager
def _file_lock(key: str) -> Iterator[None]:
    """flock on a file of its own per key: it excludes other processes and, because each call
    opens the file anew, other threads of this process too."""
    folder = _lock_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(key.encode()).hexdigest()  # noqa: S324 - a file name
    with open(folder / f"{name}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def _cache_lock(key: str) -> Iterator[None]:
    """A lock shared by every machine using the Redis cache: cache.add is SET NX."""
    lock_key = f"download-lock:{key}"
    token = uuid.uuid4().hex
    while True:
        acquired = cache.add(lock_key, token, timeout=LOCK_TIMEOUT)
        # Without the lock once the file exists: cached_build finds it and only reads.
        if acquired or stored(key):
            break
        time.sleep(LOCK_POLL)
    try:
        yield
    finally:
        if acquired and cache.get(lock_key) == token:
            cache.delete(lock_key)
