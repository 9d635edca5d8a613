"""/downloads/:id/:file_name.:ext across the permission matrix, with AO3's headers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.downloads import formats
from quire.testing import make_work, parse
from quire.works.actions import do_set_hidden_by_admin

pytestmark = pytest.mark.django_db


DOWNLOAD_LINKS = (
    "//ul[@class='work navigation actions']/li[@class='download']"
    "/ul[@class='expandable secondary']/li/a"
)


def url(work, ext="html", name="Any_Name"):
    return f"/downloads/{work.pk}/{name}.{ext}"


@pytest.fixture
def works(alice):
    hidden = make_work(author=alice, title="Hidden")
    do_set_hidden_by_admin(hidden, hidden=True)
    unrevealed = make_work(author=alice, title="Unrevealed")
    unrevealed.in_unrevealed_collection = True
    unrevealed.save(update_fields=["in_unrevealed_collection"])
    return {
        "posted": make_work(author=alice, title="Posted"),
        "draft": make_work(author=alice, title="Draft", posted=False),
        "restricted": make_work(author=alice, title="Restricted", restricted=True),
        "hidden": hidden,
        "unrevealed": unrevealed,
    }


# work -> viewer -> expected status (302 = AO3's login redirect)
MATRIX = {
    "posted": {"guest": 200, "bob": 200, "alice": 200, "admin": 200},
    "restricted": {"guest": 302, "bob": 200, "alice": 200, "admin": 200},
    "draft": {"guest": 404, "bob": 404, "alice": 404, "admin": 404},
    "hidden": {"guest": 404, "bob": 404, "alice": 404, "admin": 404},
    "unrevealed": {"guest": 404, "bob": 404, "alice": 404, "admin": 404},
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_it_follows_the_permission_matrix(works, viewers, name):
    for viewer, expected in MATRIX[name].items():
        response = viewers[viewer].get(url(works[name]))
        assert response.status_code == expected, (name, viewer)


def test_it_sends_guests_to_log_in_for_a_restricted_work(works, client):
    path = url(works["restricted"], "epub")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/users/login?restricted=true&return_to=%2Fdownloads%2F{works['restricted'].pk}"
        "%2FAny_Name.epub"
    )


def test_it_404s_for_a_missing_work_or_an_unknown_format(works, client):
    assert client.get("/downloads/999999/X.html").status_code == 404
    assert client.get(f"/downloads/{works['posted'].pk}/X.docx").status_code == 404


@pytest.mark.parametrize(
    ("ext", "content_type", "magic"),
    [
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("epub", "application/epub+zip", b"PK\x03\x04"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_it_serves_each_format_as_an_attachment(works, client, ext, content_type, magic):
    response = client.get(url(works["posted"], ext))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="Posted.{ext}"'
    body = b"".join(response.streaming_content)
    assert body.startswith(magic)
    assert int(response["Content-Length"]) == len(body)
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]


def test_it_answers_head_and_conditional_requests(works, client):
    path = url(works["posted"], "epub")
    head = client.head(path)
    assert head.status_code == 200
    assert head["Content-Type"] == "application/epub+zip"
    assert not b"".join(head.streaming_content)
    again = client.get(path, HTTP_IF_NONE_MATCH=head["ETag"])
    assert again.status_code == 304


def test_restricted_files_are_never_kept_by_shared_caches(works, bob_client, client):
    assert bob_client.get(url(works["restricted"]))["Cache-Control"] == "private, no-cache"
    assert client.get(url(works["posted"]))["Cache-Control"] == "public, no-cache"


def test_a_download_request_has_a_fixed_query_budget(alice, client):
    small = make_work(author=alice, title="Small", chapters=1)
    big = make_work(
        author=alice,
        title="Big",
        chapters=6,
        freeforms=("Fluff", "Angst", "Friendship", "Slice of Life"),
        characters=("Elizabeth Bennet", "Jane Bennet"),
        new_series_title="Both",
    )
    counts = []
    for work in (small, big):
        with CaptureQueriesContext(connection) as built:
            assert client.get(url(work, "epub")).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(url(work, "epub")).status_code == 200
        counts.append((len(built), len(cached)))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 8
    assert counts[0][1] <= 2


def test_the_work_page_offers_the_downloads_in_ao3_order(works, client, monkeypatch):
    work = works["posted"]
    doc = parse(client.get(f"/works/{work.pk}"))
    links = doc.xpath(DOWNLOAD_LINKS)
    labels = [link.text for link in links]
    expected = [fmt.label for fmt in formats.available_formats()]
    assert labels == expected
    if formats.calibre.ebook_convert():
        assert labels == ["AZW3", "EPUB", "MOBI", "PDF", "HTML"]
    else:
        assert labels == ["EPUB", "PDF", "HTML"]
    stamp = int(work.updated_at.timestamp())
    for link, fmt in zip(links, formats.available_formats(), strict=True):
        assert link.get("href") == f"/downloads/{work.pk}/Posted.{fmt.ext}?updated_at={stamp}"
        if not fmt.needs_calibre:  # those take seconds; test_calibre.py fetches them
            assert client.get(link.get("href")).status_code == 200


def test_the_work_page_without_calibre_offers_epub_pdf_and_html(works, client, monkeypatch):
    monkeypatch.setattr(formats.calibre, "ebook_convert", lambda: None)
    doc = parse(client.get(f"/works/{works['posted'].pk}"))
    labels = [a.text for a in doc.xpath(DOWNLOAD_LINKS)]
    assert labels == ["EPUB", "PDF", "HTML"]
    assert client.get(url(works["posted"], "azw3")).status_code == 404


def test_a_draft_page_offers_no_downloads(works, alice_client):
    doc = parse(alice_client.get(f"/works/{works['draft'].pk}"))
    assert not doc.xpath("//li[@class='download']")


def test_the_series_page_links_the_whole_series_epub(alice, client, bob_client):
    first = make_work(author=alice, title="First", new_series_title="The Seasons")
    series = first.series.get()
    make_work(author=alice, title="Members", series=series, restricted=True)
    doc = parse(client.get(f"/series/{series.pk}"))
    link = doc.xpath("//ul[@class='series navigation actions']/li[@class='download']/a")[0]
    assert link.text == "Download EPUB"
    assert link.get("href") == f"/downloads/series/{series.pk}/The_Seasons.epub"

    guest = client.get(link.get("href"))
    assert guest.status_code == 200
    assert guest["Content-Type"] == "application/epub+zip"
    assert guest["Content-Disposition"] == 'attachment; filename="The_Seasons.epub"'
    assert guest["Cache-Control"] == "public, no-cache"
    reader = bob_client.get(link.get("href"))
    assert reader["Cache-Control"] == "private, no-cache"
    # Guests get the public part only; readers get both works, as a different file.
    assert reader["ETag"] != guest["ETag"]
    assert len(b"".join(reader.streaming_content)) > len(b"".join(guest.streaming_content))


def test_a_series_with_nothing_visible_has_no_download(alice, client):
    work = make_work(author=alice, title="Hidden Away", new_series_title="Secret", restricted=True)
    series = work.series.get()
    assert client.get(f"/downloads/series/{series.pk}/Secret.epub").status_code == 404
    assert client.get("/downloads/series/99999/Nothing.epub").status_code == 404


def test_a_change_that_keeps_updated_at_still_serves_the_new_file(works, client):
    from quire.works.versions import do_bump_work_versions

    path = url(works["posted"], "html")
    first = client.get(path)
    do_bump_work_versions([works["posted"].pk])
    again = client.get(
        path,
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_series_download_has_a_fixed_query_budget(alice, client):
    counts = []
    for size in (1, 4):
        first = make_work(author=alice, title=f"Start {size}", new_series_title=f"S{size}")
        series = first.series.get()
        for number in range(size - 1):
            make_work(author=alice, title=f"More {number}", series=series, chapters=2)
        path = f"/downloads/series/{series.pk}/S.epub"
        with CaptureQueriesContext(connection) as built:
            assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(path).status_code == 200
        counts.append((len(built), len(cached)))
    assert counts[0] == counts[1]
    assert counts[0][1] <= 5
