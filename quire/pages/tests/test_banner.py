"""The site banner: on every page, dismissed per browser until its text changes, and never
cached for another guest by the guest page cache."""

import pytest
from django.test import Client

from quire.conftest import client_for
from quire.pages.actions import do_update_site_settings
from quire.pages.middleware import BANNER_COOKIE
from quire.testing import make_work, parse

pytestmark = pytest.mark.django_db

BANNER = "<p>Maintenance <strong>tonight</strong> at 22:00 UTC.</p>"


def banner_of(response):
    found = parse(response).xpath("//div[@id='admin-banner']")
    return found[0] if found else None


def dismiss(client, response, return_to="/"):
    key = banner_of(response).xpath(".//input[@name='banner']/@value")[0]
    return client.post("/banner/dismiss", {"banner": key, "return_to": return_to})


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Cached With A Banner")


def test_no_banner_by_default(client):
    assert banner_of(client.get("/")) is None
    assert b"<!--quire:site-banner-->" in client.get("/").content


def test_the_banner_shows_on_every_page_and_a_dismissal_hides_it(client, work):
    do_update_site_settings(banner=BANNER)
    for path in ("/", "/tos", f"/works/{work.pk}"):
        assert "tonight" in banner_of(client.get(path)).xpath("string(.//blockquote)")
    response = dismiss(client, client.get("/tos"), return_to="/tos")
    assert response.status_code == 302 and response["Location"] == "/tos"
    assert BANNER_COOKIE in response.cookies
    for path in ("/", "/tos", f"/works/{work.pk}"):
        assert banner_of(client.get(path)) is None


def test_a_new_banner_text_shows_again_after_a_dismissal(client):
    do_update_site_settings(banner=BANNER)
    dismiss(client, client.get("/"))
    assert banner_of(client.get("/")) is None
    do_update_site_settings(banner="<p>Another notice.</p>")
    assert "Another notice." in banner_of(client.get("/")).xpath("string(.)")


def test_a_logged_in_reader_dismisses_too(bob):
    do_update_site_settings(banner=BANNER)
    bob_client = client_for(bob)
    dismiss(bob_client, bob_client.get("/"))
    assert banner_of(bob_client.get("/")) is None


def test_a_dismissal_with_a_bad_key_or_a_foreign_return_is_harmless(client):
    do_update_site_settings(banner=BANNER)
    response = client.post(
        "/banner/dismiss", {"banner": "<script>", "return_to": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert BANNER_COOKIE not in response.cookies
    assert banner_of(client.get("/")) is not None


def test_cached_guest_work_pages_honour_each_guests_dismissal(work, django_assert_num_queries):
    do_update_site_settings(banner=BANNER)
    path = f"/works/{work.pk}"
    keeper, dismisser = Client(), Client()
    first = keeper.get(path)  # rendered and stored for guests
    assert banner_of(first) is not None
    dismiss(dismisser, first, return_to=path)
    with django_assert_num_queries(0):  # served from the guest page cache
        hidden = dismisser.get(path)
    assert banner_of(hidden) is None
    assert "Cached With A Banner" in hidden.content.decode()
    with django_assert_num_queries(0):
        shown = keeper.get(path)
    assert banner_of(shown) is not None
    # And the other way round: a page first stored for a dismissing guest.
    other_path = f"{path}?view_adult=true"
    assert banner_of(dismisser.get(other_path)) is None
    assert banner_of(Client().get(other_path)) is not None


def test_a_validator_from_another_banner_state_gets_the_whole_page(work):
    do_update_site_settings(banner=BANNER)
    path = f"/works/{work.pk}"
    guest = Client()
    etag = guest.get(path)["ETag"]
    guest.get(path)
    assert guest.get(path, headers={"if-none-match": etag}).status_code == 304
    dismiss(guest, guest.get(path), return_to=path)
    after = guest.get(path, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert banner_of(after) is None
    assert after["ETag"] != etag


def test_downloads_still_answer_304_while_a_banner_is_up(work, client):
    do_update_site_settings(banner=BANNER)
    link = parse(client.get(f"/works/{work.pk}")).xpath("//li[@class='download']//ul//a/@href")[0]
    first = client.get(link)
    assert first.status_code == 200
    assert client.get(link, headers={"if-none-match": first["ETag"]}).status_code == 304
