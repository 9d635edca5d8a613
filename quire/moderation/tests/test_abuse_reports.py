import pytest
from django.core import mail

from quire.conftest import client_for
from quire.lib.spam import started_token
from quire.moderation.models import AbuseReport, ReportCategory
from quire.moderation.queries import resolve_target, split_archive_url
from quire.social.actions import BookmarkInput, do_create_bookmark
from quire.testing import make_comment, make_work, parse, text_of

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def report_data(url: str, **fields) -> dict:
    return {
        "url": url,
        "category": ReportCategory.SPAM,
        "summary": "Links to a shop in every chapter",
        "description": "Each chapter ends with a link to a shop selling boots.",
        "email": "reader@example.org",
        "username": "",
        "form_started": started_token(),
        **fields,
    }


def test_a_guest_reports_a_work_and_gets_a_confirmation_and_an_email(client, alice):
    work = make_work(author=alice)
    response = client.post("/abuse_reports/new", report_data(f"{SITE}/works/{work.pk}"))
    assert response.status_code == 302
    assert response["Location"] == "/abuse_reports/sent"
    report = AbuseReport.objects.get()
    assert report.target == work
    assert report.sender is None
    assert report.status == "open"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    assert f"/works/{work.pk}" in mail.outbox[0].body
    assert "Thank you for your report" in client.get("/abuse_reports/sent").content.decode()


def test_the_form_shows_the_fields_and_the_spam_trap(client):
    doc = parse(client.get("/abuse_reports/new?url=http://testserver/works/1"))
    form = doc.get_element_by_id("new_abuse_report")
    assert form.xpath(".//input[@name='website']")
    assert form.xpath(".//input[@name='url']/@value") == ["http://testserver/works/1"]
    assert form.xpath(".//select[@name='category']")


def test_a_logged_in_reporter_is_recorded_with_their_own_email(alice, bob):
    work = make_work(author=alice)
    client = client_for(bob)
    doc = parse(client.get("/abuse_reports/new"))
    assert doc.xpath("//input[@name='email']/@value") == ["bob@example.org"]
    assert doc.xpath("//input[@name='email']/@readonly")
    # What bob might type into the address is ignored: the account's address is used.
    client.post("/abuse_reports/new", report_data(f"/works/{work.pk}", email="x@example.org"))
    report = AbuseReport.objects.get()
    assert report.sender == bob
    assert report.email == "bob@example.org"


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example.com/works/1",
        "javascript:alert(1)",
        "http://testserver.evil.org/works/1",
        "http://testserver:99999/works/1",
    ],
)
def test_a_url_off_the_archive_is_refused_and_the_text_kept(client, url):
    response = client.post("/abuse_reports/new", report_data(url))
    assert response.status_code == 200
    doc = parse(response)
    error = text_of(doc.get_element_by_id("error"))
    assert "Please give the address of a page on this archive" in error
    assert doc.xpath("//textarea[@name='description']/text()")[0].strip().startswith("Each chapter")
    assert not AbuseReport.objects.exists()


def test_a_url_too_long_or_a_summary_too_long_is_refused(client):
    long_url = f"{SITE}/works/1?" + "a" * 2100
    assert client.post("/abuse_reports/new", report_data(long_url)).status_code == 200
    data = report_data(f"{SITE}/works/1", summary="x" * 108)
    assert client.post("/abuse_reports/new", data).status_code == 200
    assert not AbuseReport.objects.exists()


def test_a_page_that_is_not_a_target_is_kept_as_a_url(client):
    client.post("/abuse_reports/new", report_data(f"{SITE}/tags/Foo"))
    report = AbuseReport.objects.get()
    assert report.target is None
    assert report.url == f"{SITE}/tags/Foo"


def test_reports_of_one_url_are_throttled_with_a_message(client, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "abuse_report_url": "2/3600"}
    work = make_work(author=alice)
    for number in range(2):
        data = report_data(f"{SITE}/works/{work.pk}/", email=f"r{number}@example.org")
        assert client.post("/abuse_reports/new", data).status_code == 302
    # The same page, written another way, counts as the same page.
    url = f"HTTP://TestServer/works/{work.pk}?view_full_work=true"
    data = report_data(url, email="z@example.org")
    response = client.post("/abuse_reports/new", data)
    assert response.status_code == 200
    assert "This page has already been reported" in response.content.decode()
    assert AbuseReport.objects.count() == 2


def test_a_comment_series_or_bookmark_takes_fewer_reports_than_a_work(client, alice):
    # AO3's numbers: 3 reports in 30 days of one comment, series or bookmark; 5 in 31 days of
    # one work or user. Decided by the address, whether or not the thing exists.
    for number in range(3):
        data = report_data(f"{SITE}/comments/999999", email=f"c{number}@example.org")
        assert client.post("/abuse_reports/new", data).status_code == 302
    data = report_data(f"{SITE}/comments/999999", email="c9@example.org")
    assert (
        "This page has already been reported"
        in client.post("/abuse_reports/new", data).content.decode()
    )
    work = make_work(author=alice)
    for number in range(4):
        data = report_data(f"{SITE}/works/{work.pk}", email=f"w{number}@example.org")
        assert client.post("/abuse_reports/new", data).status_code == 302


def test_reports_from_one_email_are_throttled(client, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "abuse_report_email": "1/86400"}
    client.post("/abuse_reports/new", report_data(f"{SITE}/works/1"))
    response = client.post("/abuse_reports/new", report_data(f"{SITE}/works/2"))
    assert "daily limit" in response.content.decode()
    assert AbuseReport.objects.count() == 1


def test_a_filled_honeypot_is_refused_for_guests(client):
    response = client.post("/abuse_reports/new", {**report_data(f"{SITE}/works/1"), "website": "x"})
    assert response.status_code == 200
    assert not AbuseReport.objects.exists()


def test_every_kind_of_target_resolves(alice, bob):
    work = make_work(author=alice, chapters=2, new_series_title="Lake Letters")
    chapter = work.chapters.order_by("position").last()
    series = work.series.get()
    comment = make_comment(work, user=bob)
    bookmark = do_create_bookmark(
        work, owner=bob, data=BookmarkInput(pseud=bob.pseuds.get(is_default=True))
    )
    pseud = alice.pseuds.get()
    cases = {
        f"/works/{work.pk}": work,
        f"/works/{work.pk}/chapters/{chapter.pk}": chapter,
        f"/chapters/{chapter.pk}": chapter,
        f"/works/{work.pk}/bookmarks": work,
        f"/series/{series.pk}": series,
        f"/comments/{comment.pk}": comment,
        f"/bookmarks/{bookmark.pk}/edit": bookmark,
        f"/users/ALICE/pseuds/{pseud.name}": pseud,
        "/users/alice/works": alice,
        "/users/nobody": None,
        f"/works/{10**30}": None,
        "/works/999999": None,
        f"/works/999999/chapters/{chapter.pk}": None,
    }
    for path, target in cases.items():
        assert resolve_target(path) == target, path


def test_split_archive_url_normalises_and_refuses_other_hosts():
    assert split_archive_url("testserver/works/1/", SITE) == (f"{SITE}/works/1", "/works/1")
    assert split_archive_url("https://TESTSERVER/works/1#c", SITE) == (
        "http://testserver/works/1",
        "/works/1",
    )
    assert split_archive_url("ftp://testserver/works/1", SITE) is None
    assert split_archive_url("http://[::1/works", SITE) is None
