"""Issue 11's findings on comments: a frozen comment is not editable, a hostile page number is
never a 5xx, and a post that failed the CSRF check is not one click from being published."""

from typing import Any

import pytest
from django.test import Client

from quire.conftest import client_for
from quire.social.forms import CommentForm
from quire.social.models import Comment
from quire.testing import form_value, make_comment, make_work, parse, text_of

pytestmark = pytest.mark.django_db

TEXT = "I read this twice on the train and liked it better the second time."


@pytest.fixture(autouse=True)
def _old_accounts(settings):
    settings.COMMENT_NEW_ACCOUNT_DAYS = 0


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Comments Welcome")


# A frozen comment


def test_a_frozen_comment_shows_no_edit_link(work, alice, bob):
    comment = make_comment(work, user=bob)
    assert client_for(alice).post(f"/comments/{comment.pk}/freeze").status_code == 302
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    assert doc.xpath(f"//li[@id='comment_{comment.pk}']")
    assert not doc.xpath(f"//li[@id='comment_{comment.pk}']//li[@class='edit']")


def test_a_frozen_comment_cannot_be_edited(work, alice, bob):
    comment = make_comment(work, user=bob)
    client_for(alice).post(f"/comments/{comment.pk}/freeze")
    bob_client = client_for(bob)
    assert bob_client.get(f"/comments/{comment.pk}/edit").status_code == 302
    response = bob_client.post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": "Changed anyway."}
    )
    assert response.status_code == 302
    assert "Changed anyway" not in Comment.objects.get(pk=comment.pk).content
    shown = bob_client.get(response["Location"])
    assert "frozen" in shown.content.decode()


# Page numbers


@pytest.mark.parametrize(
    "page",
    ["99999999999999999999999", "-99999999999999999999999", "-3", "NaN", "1e999", "inf", "0"],
)
def test_a_hostile_comment_page_number_is_clamped(work, bob, page):
    make_comment(work, user=bob)
    response = Client().get(f"/works/{work.pk}", {"show_comments": "true", "page": page})
    assert response.status_code == 200
    assert "What a lovely chapter" in response.content.decode()


# The CSRF failure page


def forged_post(client, work, **headers):
    return client.post(
        f"/works/{work.pk}/comments",
        {"comment[comment_content]": TEXT, "comment[name]": "Eve", "comment[email]": "e@x.org"},
        REMOTE_ADDR="10.0.0.9",
        **headers,
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null", "HTTP_REFERER": "http://testserver/works/1"},
        {"HTTP_REFERER": "https://evil.example/works/1"},
        {"HTTP_REFERER": "http://testserver.evil.example/"},
    ],
    ids=["no-origin-no-referer", "cross-origin", "null-origin", "cross-referer", "lookalike"],
)
def test_a_cross_site_post_gets_an_empty_form(work, headers):
    response = forged_post(Client(enforce_csrf_checks=True), work, **headers)
    assert response.status_code == 403
    doc = parse(response)
    assert form_value(doc, "comment[comment_content]") == ""
    assert form_value(doc, "comment[name]") == ""
    assert TEXT not in response.content.decode()
    assert "wasn't posted" in text_of(doc.get_element_by_id("error"))
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "http://testserver"}, {"HTTP_REFERER": "http://testserver/works/1"}],
    ids=["origin", "referer"],
)
def test_a_same_origin_post_keeps_its_text(work, headers):
    response = forged_post(Client(enforce_csrf_checks=True), work, **headers)
    assert response.status_code == 403
    doc = parse(response)
    assert form_value(doc, "comment[comment_content]") == TEXT
    assert form_value(doc, "comment[name]") == "Eve"


def test_the_kept_text_is_escaped(work):
    script = "</textarea><script>alert(1)</script>"
    response = Client(enforce_csrf_checks=True).post(
        f"/works/{work.pk}/comments",
        {"comment[comment_content]": script},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 403
    assert "<script>alert(1)" not in response.content.decode()
    assert form_value(parse(response), "comment[comment_content]") == script


def test_a_post_failing_csrf_is_never_validated(work, bob, monkeypatch):
    """The HTML cleaner is what a hostile body makes slow: a post that failed CSRF never
    reaches it."""

    def refuse(self):
        raise AssertionError("the form of a post that failed CSRF was validated")

    monkeypatch.setattr(CommentForm, "_clean_fields", refuse)
    comment = make_comment(work, user=bob)
    client = Client(enforce_csrf_checks=True)
    nested = "<div>" * 2000 + TEXT
    for url in (f"/works/{work.pk}/comments", f"/comments/{comment.pk}/new"):
        extras: tuple[dict[str, Any], ...] = ({"HTTP_ORIGIN": "http://testserver"}, {})
        for headers in extras:
            response = client.post(url, {"comment[comment_content]": nested}, **headers)
            assert response.status_code == 403


def test_the_csrf_failure_view_is_the_projects():
    from django.conf import settings

    assert settings.CSRF_FAILURE_VIEW == "quire.csrf.csrf_failure"


# A comment stored before the nesting limit


def test_a_comment_stored_nested_past_the_limit_can_still_be_edited(work, bob):
    from quire.lib.sanitize import MAX_NESTING

    comment = make_comment(work, user=bob)
    deep = "<p>" + "<em>" * (MAX_NESTING + 5) + "deep" + "</em>" * (MAX_NESTING + 5) + "</p>"
    Comment.objects.filter(pk=comment.pk).update(content=deep)
    response = client_for(bob).post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": "A plainer word."}
    )
    assert response.status_code == 302
    assert "A plainer word." in Comment.objects.get(pk=comment.pk).content
