"""Staff edit the site settings at /staff/settings; the guest-comment and download switches
take effect."""

import pytest

from quire.conftest import client_for
from quire.moderation.models import ActivityEntry
from quire.pages.actions import do_update_site_settings
from quire.pages.models import SignupMode
from quire.pages.queries import site_settings
from quire.pages.tests.conftest import staff_client
from quire.social.models import Comment
from quire.testing import form_value, make_work, parse

pytestmark = pytest.mark.django_db

TEXT = "I read this twice on the train and liked it better the second time."


def _form(**changes) -> dict:
    data = {
        "signups": "open",
        "guest_comments": "on",
        "downloads": "on",
        "support_form": "on",
        "invitations_per_day": "0",
        "banner": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Switches")


def test_who_may_change_settings(client, bob, plain_staff, editor_client):
    assert client.get("/staff/settings").status_code == 302
    assert client_for(bob).get("/staff/settings").status_code == 404
    assert staff_client(plain_staff).get("/staff/settings").status_code == 404
    assert client_for(bob).post("/staff/settings", _form(signups="closed")).status_code == 404
    assert site_settings().signups == SignupMode.OPEN
    doc = parse(editor_client.get("/staff/settings"))
    assert form_value(doc, "signups") == "open"


def test_staff_change_settings_and_the_log_says_what_changed(editor, editor_client):
    response = editor_client.post(
        "/staff/settings",
        _form(
            signups="invitation",
            guest_comments=None,
            invitations_per_day="25",
            banner="<p>Hello<script>x</script></p>",
        ),
    )
    assert response.status_code == 302
    row = site_settings()
    assert row.signups == SignupMode.INVITATION and not row.guest_comments
    assert row.invitations_per_day == 25
    assert row.banner == "<p>Hello</p>"
    entry = ActivityEntry.objects.get(action="change_site_settings")
    assert entry.actor == editor
    assert "signups: open → invitation" in entry.note
    assert "guest_comments: True → False" in entry.note
    assert "banner changed" in entry.note
    assert "downloads" not in entry.note


def test_a_rejected_settings_form_keeps_what_was_typed(editor_client):
    response = editor_client.post(
        "/staff/settings", _form(invitations_per_day="-3", banner="<p>Keep me</p>")
    )
    assert response.status_code == 200
    doc = parse(response)
    assert form_value(doc, "banner") == "<p>Keep me</p>"
    assert not site_settings().banner
    assert not ActivityEntry.objects.exists()


def test_guest_comments_off_hides_the_form_and_refuses_a_post(work, client, bob):
    do_update_site_settings(guest_comments=False)
    doc = parse(client.get(f"/works/{work.pk}"))
    assert not doc.xpath("//textarea[@name='comment[comment_content]']")
    assert "allow guests to comment right now" in client.get(f"/works/{work.pk}").content.decode()
    response = client.post(
        f"/works/{work.pk}/comments",
        {"comment[comment_content]": TEXT, "comment[name]": "G", "comment[email]": "g@example.org"},
    )
    assert "allow guests to comment right now" in response.content.decode()
    assert form_value(parse(response), "comment[comment_content]") == TEXT
    assert not Comment.objects.exists()
    # Logged-in readers still comment.
    bob_client = client_for(bob)
    assert parse(bob_client.get(f"/works/{work.pk}")).xpath(
        "//textarea[@name='comment[comment_content]']"
    )


def test_downloads_off_hides_the_links_and_refuses_the_file(work, client):
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "/downloads/" in page
    link = parse(client.get(f"/works/{work.pk}")).xpath("//li[@class='download']//ul//a/@href")[0]
    do_update_site_settings(downloads=False)
    client.cookies.clear()
    from django.core.cache import caches

    caches["default"].clear()  # the guest page cache keeps a page up to GUEST_PAGE_TTL
    assert "/downloads/" not in client.get(f"/works/{work.pk}").content.decode()
    response = client.get(link)
    assert response.status_code == 403
    assert "downloads are turned off" in response.content.decode()


def test_downloads_off_hides_the_series_epub_too(alice, client):
    first = make_work(author=alice, title="First", new_series_title="The Seasons")
    series = first.series.get()
    assert parse(client.get(f"/series/{series.pk}")).xpath("//li[@class='download']")
    do_update_site_settings(downloads=False)
    assert not parse(client.get(f"/series/{series.pk}")).xpath("//li[@class='download']")
    response = client.get(f"/downloads/series/{series.pk}/The_Seasons.epub")
    assert response.status_code == 403


def test_staff_pages_need_a_two_factor_sign_in(editor):
    plain_login = client_for(editor)  # logged in without a code, and no app set up yet
    for path in ("/staff/settings", "/tos/edit"):
        response = plain_login.get(path)
        assert response.status_code == 302
        assert "/2fa/" in response["Location"]
