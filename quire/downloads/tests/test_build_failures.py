"""A file that cannot be made: the failure is remembered per (work, version, format) in the
downloads store, every worker answers with a clear page without building again, and a new
version of the work tries again. A build is bounded in time."""

import sys

import pytest

from quire.downloads.cache import downloads_storage, work_file_key
from quire.downloads.formats import pdf
from quire.testing import make_work, parse, text_of
from quire.works.actions import do_bump_work_versions
from quire.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def unrenderable(monkeypatch):
    """WeasyPrint giving up on a work (as it does with a RecursionError), counting calls."""
    calls = []

    def lay_out(document: str, base_url: str) -> bytes:
        calls.append(base_url)
        raise pdf.BuildFailed("RecursionError")

    monkeypatch.setattr(pdf, "lay_out", lay_out)
    return calls


def test_a_work_that_cannot_be_made_gets_a_clear_page(alice, client, unrenderable):
    work = make_work(author=alice, title="Too Deep")
    response = client.get(f"/downloads/{work.pk}/Too_Deep.pdf")
    assert response.status_code == 503
    assert "could not make a PDF" in text_of(parse(response).get_element_by_id("main"))
    assert response["Cache-Control"] == "no-cache"
    assert not response.has_header("Content-Disposition")


def test_the_failure_is_remembered_in_the_store_and_not_retried(alice, client, unrenderable):
    work = make_work(author=alice, title="Too Deep")
    assert client.get(f"/downloads/{work.pk}/Too_Deep.pdf").status_code == 503
    assert downloads_storage().exists(work_file_key(work, "pdf") + ".failed")
    assert client.get(f"/downloads/{work.pk}/Too_Deep.pdf").status_code == 503
    assert len(unrenderable) == 1
    # Other formats are unaffected.
    assert client.get(f"/downloads/{work.pk}/Too_Deep.html").status_code == 200


def test_a_new_version_of_the_work_tries_again(alice, client, unrenderable, monkeypatch):
    work = make_work(author=alice, title="Too Deep")
    assert client.get(f"/downloads/{work.pk}/Too_Deep.pdf").status_code == 503
    do_bump_work_versions([work.pk])
    monkeypatch.setattr(pdf, "lay_out", lambda document, base_url: b"%PDF-1.7 fixed")
    response = client.get(f"/downloads/{work.pk}/Too_Deep.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 fixed"
    assert len(unrenderable) == 1
    # The older version's failure is forgotten with it.
    work = Work.objects.get(pk=work.pk)
    folder = f"works/{work.pk}"
    assert downloads_storage().listdir(folder)[1] == [work_file_key(work, "pdf").split("/")[-1]]


def test_a_build_that_runs_too_long_is_stopped_and_remembered(alice, client, settings, monkeypatch):
    settings.DOWNLOAD_BUILD_SECONDS = 0.5
    monkeypatch.setattr(
        pdf, "LAYOUT_COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"]
    )
    work = make_work(author=alice, title="Slow")
    response = client.get(f"/downloads/{work.pk}/Slow.pdf")
    assert response.status_code == 503
    assert downloads_storage().exists(work_file_key(work, "pdf") + ".failed")


def test_an_error_inside_weasyprint_is_a_failure_not_a_500(alice, client, monkeypatch):
    crash = "import sys; sys.stdin.read(); raise RecursionError('maximum recursion depth')"
    monkeypatch.setattr(pdf, "LAYOUT_COMMAND", [sys.executable, "-c", crash])
    work = make_work(author=alice, title="Crash")
    assert client.get(f"/downloads/{work.pk}/Crash.pdf").status_code == 503
