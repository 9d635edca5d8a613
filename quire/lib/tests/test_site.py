"""The archive's base URL (quire/lib/site.py): QUIRE_SITE_URL when set; else the address the
request came to (downloads and mail built in a request); else where `make run` serves (PORT)."""

import pytest
from django.core import mail
from django.test import RequestFactory

from quire.lib.site import site_url
from quire.testing import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def unset(settings):
    settings.SITE_URL = ""
    settings.PORT = 8123
    return settings


def test_the_configured_address_wins(settings):
    settings.SITE_URL = "https://archive.example.org"
    request = RequestFactory().get("/", HTTP_HOST="localhost:9000")
    assert site_url(request) == "https://archive.example.org"
    assert site_url() == "https://archive.example.org"


def test_unset_it_is_the_requests_address(unset):
    unset.ALLOWED_HOSTS = ["localhost"]
    request = RequestFactory().get("/", HTTP_HOST="localhost:9000")
    assert site_url(request) == "http://localhost:9000"
    secure = RequestFactory().get("/", HTTP_HOST="localhost:9443", secure=True)
    assert site_url(secure) == "https://localhost:9443"


def test_unset_and_outside_a_request_it_is_where_make_run_serves(unset):
    assert site_url() == "http://127.0.0.1:8123"


def test_a_download_built_in_a_request_links_to_the_requests_address(unset, client, alice):
    unset.ALLOWED_HOSTS = ["localhost"]
    work = make_work(author=alice, title="Linked")
    response = client.get(f"/downloads/{work.pk}/Linked.html", HTTP_HOST="localhost:9000")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert f"http://localhost:9000/works/{work.pk}".encode() in body
    assert b"127.0.0.1:8000" not in body


def test_mail_sent_outside_a_request_links_to_the_port(unset, alice, bob):
    from quire.social.actions import do_subscribe
    from quire.social.actions.notifications import do_send_notifications

    do_subscribe(bob, to_user=alice)
    work = make_work(author=alice, title="Noticed")
    do_send_notifications()
    assert mail.outbox
    assert f"http://127.0.0.1:8123/works/{work.pk}" in mail.outbox[-1].body
