"""The download cache: built once per (work, version, format), never served half-written, and
built once however many ask at the same time."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.http import FileResponse

from quire.downloads import cache as download_cache
from quire.downloads import formats
from quire.downloads.cache import cached_build, downloads_storage, stored, work_file_key
from quire.testing import make_work
from quire.works.versions import do_bump_work_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """Every build the views ask for, by (work id, format)."""
    made = []
    real_build = formats.build

    def counting_build(work, fmt):
        made.append((work.pk, fmt))
        return real_build(work, fmt)

    monkeypatch.setattr(formats, "build", counting_build)
    return made


def fetch(client, work, ext="epub"):
    response = client.get(f"/downloads/{work.pk}/X.{ext}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_second_request_is_served_from_the_cache(alice, client, bob_client, builds):
    work = make_work(author=alice)
    first = fetch(client, work)
    assert fetch(client, work) == first
    assert fetch(bob_client, work) == first
    assert builds == [(work.pk, "epub")]
    fetch(client, work, "html")
    assert builds == [(work.pk, "epub"), (work.pk, "html")]


def test_a_change_to_the_work_builds_a_new_file_and_drops_the_old(alice, client, builds):
    work = make_work(author=alice)
    fetch(client, work)
    old_key = work_file_key(work, "epub")
    do_bump_work_versions([work.pk])
    work.refresh_from_db()
    fetch(client, work)
    assert builds == [(work.pk, "epub"), (work.pk, "epub")]
    assert stored(work_file_key(work, "epub"))
    assert not stored(old_key)


def test_a_new_site_name_builds_new_files(alice, client, builds, settings):
    work = make_work(author=alice)
    fetch(client, work, "html")
    settings.SITE_NAME = "Elsewhere"
    assert b'">Elsewhere</a> at' in fetch(client, work, "html")
    assert len(builds) == 2


def slow_builder(calls: list, started: threading.Event, release: threading.Event):
    def build() -> bytes:
        calls.append(1)
        started.set()
        release.wait(10)
        return b"the whole file"

    return build


@pytest.mark.parametrize("lock", ["file", "cache"])
def test_simultaneous_requests_build_once(settings, lock):
    if lock == "cache":  # the Redis path: an atomic cache add (local memory stands in here)
        settings.REDIS_URL = "redis://stand-in"
    calls: list = []
    started, release = threading.Event(), threading.Event()
    build = slow_builder(calls, started, release)
    results, errors = [], []

    def request():
        try:
            results.append(cached_build("works/1/v1-test.epub", build).open().read())
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    time.sleep(0.2)  # the other three are waiting on the lock by now
    release.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert calls == [1]
    assert results == [b"the whole file"] * 4


def test_a_file_being_built_is_never_served_half_written(monkeypatch):
    key = "works/2/v1-test.epub"
    storage = downloads_storage()
    seen_during_write = []
    real_replace = download_cache.os.replace

    def watching_replace(source, target):
        # The bytes are all written, under another name; the real name does not exist yet.
        seen_during_write.append((stored(key), Path(source).read_bytes()))
        real_replace(source, target)

    monkeypatch.setattr(download_cache.os, "replace", watching_replace)
    cached_build(key, lambda: b"complete")
    assert seen_during_write == [(None, b"complete")]
    assert storage.open(key).read() == b"complete"
    folder = storage.path("works/2")
    assert os.listdir(folder) == ["v1-test.epub"]  # no temporary file left behind


def test_a_failed_build_leaves_nothing_behind():
    key = "works/3/v1-test.epub"

    def broken() -> bytes:
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        cached_build(key, broken)
    assert stored(key) is None
    assert cached_build(key, lambda: b"fine").open().read() == b"fine"


def test_two_simultaneous_download_requests_build_once(alice, monkeypatch):
    """Two requests for the same file at the same moment, through the view: one builds, the
    other waits for it and serves the same bytes. (The threads cannot see the test's
    uncommitted rows, so the work they fetch is handed to them.)"""
    from django.test import RequestFactory

    from quire.downloads import views

    work = make_work(author=alice)
    calls: list = []
    started, release = threading.Event(), threading.Event()
    slow = slow_builder(calls, started, release)
    monkeypatch.setattr(views, "access_downloadable_work", lambda viewer, work_id: work)
    monkeypatch.setattr(formats, "build", lambda work, fmt: slow())
    bodies: list[bytes] = []
    errors: list[Exception] = []

    def download():
        try:
            request = RequestFactory().get(f"/downloads/{work.pk}/X.epub")
            request.user = alice
            response = views.work_download(request, work.pk, "X", "epub")
            assert isinstance(response, FileResponse)
            bodies.append(response.getvalue())
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    time.sleep(0.2)
    release.set()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert calls == [1]
    assert bodies == [b"the whole file"] * 2


PROCESS_SCRIPT = """
import os, time, django
django.setup()
from pathlib import Path
from quire.downloads.cache import cached_build

log = Path({log!r})
# Both processes start building at the same moment: wait until both are ready.
(log.parent / f"ready-{{os.getpid()}}").touch()
while len(list(log.parent.glob("ready-*"))) < 2:
    time.sleep(0.01)

def build():
    with log.open("a") as handle:
        handle.write("built\\n")
    time.sleep(1.0)
    return b"from a process"

print(cached_build("works/9/v1-test.epub", build).open().read().decode())
"""


def test_two_processes_build_once(tmp_path, settings):
    """flock works across processes: two app processes asking at once build one file."""
    import subprocess
    import sys

    folder = settings.STORAGES["downloads"]["OPTIONS"]["location"]
    log = tmp_path / "builds.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quire.settings",
        "QUIRE_DATA_DIR": str(tmp_path / "data"),
        "QUIRE_DOWNLOADS_DIR": folder,
        "REDIS_URL": "",
        "DATABASE_URL": "",
    }
    script = PROCESS_SCRIPT.format(log=str(log))
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60)[0].strip() for process in processes]
    assert outputs == ["from a process", "from a process"]
    assert log.read_text() == "built\n"
