"""Guest comments pass the spam traps (lib/spam.py: a honeypot, the time the form was shown)
and hold at most GUEST_COMMENT_MAX_LINKS links; logged-in commenters skip both. A refused
comment comes back with its text. The rate-limit refusal is AO3's 429, JSON for a script."""

import time

import pytest
from django.core import signing
from django.test import Client

from quire.conftest import client_for
from quire.lib import spam
from quire.social.forms import count_links
from quire.social.models import Comment
from quire.testing import form_value, make_work, parse, past_spam_traps, text_of

pytestmark = pytest.mark.django_db

TEXT = "I read this twice on the train and liked it better the second time."
GUEST = {"comment[name]": "Lizzy", "comment[email]": "lizzy@example.org"}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.COMMENT_NEW_ACCOUNT_DAYS = 0
    settings.SPAM_MIN_FORM_SECONDS = 3
    settings.GUEST_COMMENT_MAX_LINKS = 2


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Comments Welcome")


def post(client, work, text=TEXT, *, ip="10.0.0.1", **data):
    """Post a guest comment: keyword arguments are fields, or headers (HTTP_...)."""
    headers = {name: value for name, value in data.items() if name.startswith("HTTP_")}
    fields = {name: value for name, value in data.items() if name not in headers}
    body = {"comment[comment_content]": text, **GUEST, **fields}
    return client.post(f"/works/{work.pk}/comments", body, REMOTE_ADDR=ip, **headers)


def shown_error(response) -> str:
    return " ".join(text_of(e) for e in parse(response).xpath("//*[contains(@class,'error')]"))


def test_a_guest_sending_after_reading_posts(work, client):
    assert post(client, work, **past_spam_traps()).status_code == 302
    assert Comment.objects.filter(guest_name="Lizzy").exists()


def test_the_guest_form_carries_the_traps_and_the_members_form_does_not(work, client, bob):
    doc = parse(client.get(f"/works/{work.pk}"))
    assert spam.seconds_since(form_value(doc, "form_started")) is not None
    assert doc.xpath("//form[contains(@class,'new_comment')]//input[@name='website']")
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    assert not doc.xpath("//input[@name='website']")


def test_a_filled_honeypot_is_refused_keeping_the_text(work, client):
    response = post(client, work, website="http://spam.example", **past_spam_traps())
    assert response.status_code == 200
    assert spam.TRAPPED in shown_error(response)
    assert form_value(parse(response), "comment[comment_content]") == TEXT
    assert form_value(parse(response), "comment[name]") == "Lizzy"
    assert not Comment.objects.exists()


def test_a_post_sent_at_once_is_refused_then_goes_through_later(work, client):
    started = spam.started_token()
    response = post(client, work, form_started=started)
    assert spam.TOO_FAST in shown_error(response)
    assert form_value(parse(response), "comment[comment_content]") == TEXT
    # The form carries the first timestamp: a moment later it goes through.
    assert form_value(parse(response), "form_started") == started
    shown = signing.dumps(int(time.time()) - 5, salt=spam.SALT)
    assert post(client, work, form_started=shown).status_code == 302


def test_a_post_without_the_timestamp_gets_a_fresh_one(work, client):
    response = post(client, work)
    assert spam.TOO_FAST in shown_error(response)
    assert spam.seconds_since(form_value(parse(response), "form_started")) is not None
    assert not Comment.objects.exists()


def test_logged_in_commenters_skip_the_traps(work, bob):
    response = client_for(bob).post(
        f"/works/{work.pk}/comments", {"comment[comment_content]": TEXT, "website": "x"}
    )
    assert response.status_code == 302


def test_a_reply_by_a_guest_is_trapped_too(work, client, bob):
    from quire.testing import make_comment

    parent = make_comment(work, user=bob)
    body = {"comment[comment_content]": TEXT, **GUEST, "website": "filled"}
    response = client.post(f"/comments/{parent.pk}/new", {**body, **past_spam_traps()})
    assert spam.TRAPPED in shown_error(response)


# The CSRF failure page (quire/csrf.py): a guest's cached page carries no token, so without
# script every guest comment comes back once; the timestamp must travel on.


def test_the_csrf_failure_form_keeps_the_first_timestamp(work):
    client = Client(enforce_csrf_checks=True)
    started = past_spam_traps()["form_started"]
    response = post(client, work, form_started=started, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    doc = parse(response)
    assert form_value(doc, "form_started") == started
    assert form_value(doc, "comment[comment_content]") == TEXT
    token = form_value(doc, "csrfmiddlewaretoken")
    again = post(client, work, form_started=started, csrfmiddlewaretoken=token)
    assert again.status_code == 302
    assert Comment.objects.filter(guest_name="Lizzy").count() == 1


def test_the_csrf_failure_form_of_a_forged_timestamp_gets_a_fresh_one(work):
    response = post(
        Client(enforce_csrf_checks=True),
        work,
        form_started="forged",
        HTTP_ORIGIN="http://testserver",
    )
    assert spam.seconds_since(form_value(parse(response), "form_started")) is not None


# Links in a guest's comment


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("No links at all, www or otherwise.", 0),
        ('<a href="https://a.example">one</a> and https://b.example/x', 2),
        ('<a href="https://a.example">https://a.example</a>', 1),
        ("www.a.example and HTTP://B.EXAMPLE and http://c.example.", 3),
        ('<a name="anchor">no href</a> <a href="javascript:alert(1)">dropped</a>', 0),
    ],
)
def test_count_links(text, links):
    assert count_links(text) == links


def test_a_guest_comment_with_too_many_links_is_refused_keeping_the_text(work, client):
    text = 'See <a href="https://a.example">this</a>, https://b.example and www.c.example'
    response = post(client, work, text, **past_spam_traps())
    assert response.status_code == 200
    assert "at most 2 links (this one has 3)" in shown_error(response)
    assert form_value(parse(response), "comment[comment_content]") == text
    assert not Comment.objects.exists()


def test_two_links_are_fine_and_members_have_no_link_limit(work, client, bob):
    text = "https://a.example and https://b.example"
    assert post(client, work, text, **past_spam_traps()).status_code == 302
    many = " ".join(f"https://{n}.example" for n in range(6))
    member = client_for(bob).post(f"/works/{work.pk}/comments", {"comment[comment_content]": many})
    assert member.status_code == 302


def test_the_link_limit_is_a_setting(work, client, settings):
    settings.GUEST_COMMENT_MAX_LINKS = 0
    response = post(client, work, "https://a.example", **past_spam_traps())
    assert "at most 0 links (this one has 1)" in shown_error(response)


# The comment rate limit, answered as AO3 does


@pytest.fixture
def limited(settings):
    settings.COMMENT_RATE_LIMIT = 1
    settings.COMMENT_RATE_MINUTES = 15


def test_a_rate_limited_guest_gets_429_with_the_form_and_retry_after(work, client, limited):
    assert post(client, work, **past_spam_traps()).status_code == 302
    response = post(client, work, "Second thoughts.", **past_spam_traps())
    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert "Guests can post at most 1 comments" in shown_error(response)
    assert form_value(parse(response), "comment[comment_content]") == "Second thoughts."


def test_a_rate_limited_script_gets_json(work, client, limited):
    post(client, work, **past_spam_traps())
    response = post(client, work, HTTP_ACCEPT="application/json", **past_spam_traps())
    assert response.status_code == 429
    assert response.json()["error"] == "too_many_requests"
    assert "Guests can post at most" in response.json()["message"]
    assert int(response["Retry-After"]) > 0
