"""Logging in as AO3's tools do (AO3.md §8): scrape authenticity_token from /users/login (or
/token_dispenser.json), then post user[login], user[password] and the token, CSRF enforced."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from quire.testing import TEST_PASSWORD, form_value, make_work, parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool():
    """A client that checks CSRF as a browser-facing server must."""
    return Client(enforce_csrf_checks=True)


def scrape_token(client, path="/users/login") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return (
        parse(response)
        .xpath("//form[@id='new_user']//input[@name='authenticity_token']")[0]
        .get("value")
    )


def logged_in(client) -> bool:
    return parse(client.get("/works")).xpath("//body/@class") == ["logged-in"]


def test_the_login_form_has_ao3s_field_names(client):
    doc = parse(client.get("/users/login"))
    form = doc.xpath("//form[@id='new_user']")[0]
    assert form.get("method") == "post"
    assert form.get("action") == "/users/login"
    names = set(form.xpath(".//input/@name"))
    assert {"authenticity_token", "user[login]", "user[password]", "user[remember_me]"} <= names
    assert doc.xpath("//div[@id='main']/@class") == ["sessions-new region"]


@pytest.mark.parametrize("login", ["alice", "alice@example.org"])
def test_a_tool_logs_in_with_username_or_email_and_the_scraped_token(alice, tool, login):
    token = scrape_token(tool)
    response = tool.post(
        "/users/login",
        {
            "user[login]": login,
            "user[password]": TEST_PASSWORD,
            "user[remember_me]": "1",
            "authenticity_token": token,
            "commit": "Log In",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(tool.session["_auth_user_id"]) == alice.pk
    assert logged_in(tool)


def test_the_login_is_not_case_sensitive(alice, tool):
    token = scrape_token(tool)
    data = {"user[login]": "ALICE", "user[password]": TEST_PASSWORD, "authenticity_token": token}
    assert tool.post("/users/login", data).status_code == 302
    assert logged_in(tool)


def test_djangos_own_field_names_work_too(alice, tool):
    token = scrape_token(tool)
    data = {"login": "alice", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    assert tool.post("/users/login", data).status_code == 302
    assert logged_in(tool)


def test_the_token_dispenser_hands_out_a_usable_token(alice, tool):
    response = tool.get("/token_dispenser.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert list(body) == ["token"] and body["token"]
    data = {
        "user[login]": "alice",
        "user[password]": TEST_PASSWORD,
        "authenticity_token": body["token"],
    }
    assert tool.post("/users/login", data).status_code == 302
    assert logged_in(tool)


def test_a_post_without_the_token_is_refused(alice, tool):
    tool.get("/users/login")  # the CSRF cookie alone is not enough
    data = {"user[login]": "alice", "user[password]": TEST_PASSWORD}
    assert tool.post("/users/login", data).status_code == 403
    assert not logged_in(tool)


def test_a_post_with_a_forged_token_is_refused(alice, tool):
    tool.get("/users/login")
    data = {
        "user[login]": "alice",
        "user[password]": TEST_PASSWORD,
        "authenticity_token": "x" * 64,
    }
    assert tool.post("/users/login", data).status_code == 403
    assert not logged_in(tool)


def test_return_to_is_honoured_after_logging_in(alice, tool):
    work = make_work(author=alice, restricted=True)
    path = f"/users/login?{urlencode({'restricted': 'true', 'return_to': f'/works/{work.pk}'})}"
    doc = parse(tool.get(path))
    assert form_value(doc, "next") == f"/works/{work.pk}"
    token = doc.xpath("//input[@name='authenticity_token']/@value")[0]
    response = tool.post(
        "/users/login",
        {
            "user[login]": "alice",
            "user[password]": TEST_PASSWORD,
            "authenticity_token": token,
            "next": f"/works/{work.pk}",
        },
    )
    assert response["Location"] == f"/works/{work.pk}"
    assert tool.get(response["Location"]).status_code == 200


def test_a_guest_sent_from_a_restricted_work_comes_back_to_it(alice, client):
    work = make_work(author=alice, title="Members Only", restricted=True)
    response = client.get(f"/works/{work.pk}", follow=True)
    doc = parse(response)
    assert "This work is only available to registered users of the Archive" in text_of(doc)
    next_value = form_value(doc, "next")
    response = client.post(
        "/users/login",
        {"user[login]": "alice", "user[password]": TEST_PASSWORD, "next": next_value},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/works/{work.pk}"
    assert "Members Only" in text_of(parse(response))


def test_return_to_another_site_is_ignored(alice, client):
    response = client.post(
        "/users/login",
        {
            "user[login]": "alice",
            "user[password]": TEST_PASSWORD,
            "next": "https://evil.example/steal",
        },
    )
    assert response["Location"] == "/"


def test_the_restricted_message_is_shown_only_when_asked(client):
    message = "This work is only available to registered users of the Archive"
    assert message in text_of(parse(client.get("/users/login?restricted=true")))
    assert message not in text_of(parse(client.get("/users/login")))


def test_remember_me_keeps_the_session_past_the_browser(alice, client):
    base = {"user[login]": "alice", "user[password]": TEST_PASSWORD}
    client.post("/users/login", {**base, "user[remember_me]": ["0", "1"]})
    assert not client.session.get_expire_at_browser_close()
    other = Client()
    other.post("/users/login", {**base, "user[remember_me]": "0"})
    assert other.session.get_expire_at_browser_close()


@pytest.mark.parametrize(
    ("login", "password"),
    [("alice", "wrong password"), ("nobody", TEST_PASSWORD), ("alice", "")],
    ids=["wrong_password", "unknown_user", "no_password"],
)
def test_a_failed_login_says_so_and_keeps_the_login(alice, client, login, password):
    response = client.post(
        "/users/login",
        {"user[login]": login, "user[password]": password, "next": "/works"},
    )
    assert response.status_code == 200
    doc = parse(response)
    error = doc.xpath("//div[@id='main']//div[contains(@class, 'flash error')]")
    assert error and text_of(error[0])
    assert form_value(doc, "user[login]") == login
    assert form_value(doc, "next") == "/works"
    assert "_auth_user_id" not in client.session


def test_a_failed_login_with_a_missing_login_says_so(client):
    response = client.post("/users/login", {"user[login]": "", "user[password]": "x" * 8})
    assert response.status_code == 200
    assert parse(response).xpath("//div[contains(@class, 'flash error')]")


# Logging out -------------------------------------------------------------------------------


def test_logging_out_asks_then_logs_out_and_returns(alice, client):
    client.force_login(alice)
    doc = parse(client.get("/users/logout?return_to=/works"))
    assert form_value(doc, "next") == "/works"
    assert client.get("/users/logout").status_code == 200  # no return_to: still fine
    assert "_auth_user_id" in client.session
    response = client.post("/users/logout", {"next": "/works"})
    assert response["Location"] == "/works"
    assert not logged_in(client)


def test_a_tool_logs_out_with_the_authenticity_token(alice, tool):
    tool.force_login(alice)
    token = tool.get("/token_dispenser.json").json()["token"]
    assert tool.post("/users/logout", {"authenticity_token": token}).status_code == 302
    assert not logged_in(tool)
