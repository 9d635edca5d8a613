"""Signing up (/signup): AO3's username and password rules (AO3.md §6); every new account
writes under a default pseud named after its login."""

import re

import pytest
from django.core import mail
from django.test import Client

from quire.accounts.models import Pseud, User
from quire.lib.spam import started_token
from quire.testing import form_value, parse, row_counts, text_of

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a perfectly good password"


def signup_data(**fields) -> dict:
    data = {
        "username": "lizzy_bennet",
        "email": "lizzy@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "terms": "on",
        "age": "on",
        "form_started": started_token(),
    }
    data.update(fields)
    return data


@pytest.fixture(autouse=True)
def _no_wait_before_posting(settings):
    settings.SPAM_MIN_FORM_SECONDS = 0


def test_the_signup_form_is_offered_to_guests(client):
    doc = parse(client.get("/signup"))
    assert doc.xpath("//div[@id='main']/@class") == ["users-new region"]
    names = set(doc.xpath("//form[@id='signup_form']//input/@name"))
    assert {"username", "email", "password1", "password2"} <= names


def confirm_email(client, address: str = "lizzy@example.org") -> None:
    """Follow the link in the confirmation mail, as the address's owner would."""
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", str(message.body)).group(1)
    assert client.post(link).status_code == 302


def test_signing_up_creates_the_account_with_its_default_pseud(client):
    response = client.post("/signup", signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="lizzy_bennet")
    assert user.email == "lizzy@example.org"
    assert user.check_password(GOOD_PASSWORD)
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("lizzy_bennet", True)]
    # ... and, once the address is confirmed, writes under that pseud from the start
    assert "_auth_user_id" not in client.session
    confirm_email(client)
    client.post("/users/login", {"user[login]": "lizzy_bennet", "user[password]": GOOD_PASSWORD})
    assert int(client.session["_auth_user_id"]) == user.pk
    doc = parse(client.get("/works/new"))
    default = user.pseuds.get()
    assert doc.xpath("//input[@name='pseuds'][@checked]/@value") == [str(default.pk)]


def test_a_new_account_can_log_in_the_way_tools_do(client):
    client.post("/signup", signup_data())
    confirm_email(client)
    tool = Client(enforce_csrf_checks=True)
    token = tool.get("/token_dispenser.json").json()["token"]
    data = {
        "user[login]": "lizzy@example.org",
        "user[password]": GOOD_PASSWORD,
        "authenticity_token": token,
    }
    assert tool.post("/users/login", data).status_code == 302


def test_signing_up_with_a_taken_address_looks_like_a_fresh_sign_up(alice):
    fresh, taken = Client(), Client()
    answers: list[tuple[int, str, str]] = []
    for client, email in ((fresh, "lizzy@example.org"), (taken, "alice@example.org")):
        response = client.post("/signup", signup_data(username=f"new_{len(answers)}", email=email))
        page = text_of(parse(client.get(response["Location"]))).replace(email, "ADDRESS")
        answers.append((response.status_code, response["Location"], page))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert not User.objects.filter(username="new_1").exists()  # no second account for it
    # Both addresses get a message: a confirmation, and "you already have an account".
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "lizzy@example.org"]


def test_a_password_reset_looks_the_same_for_known_and_unknown_addresses(alice):
    answers = []
    for email in ("alice@example.org", "nobody@example.org"):
        client = Client()
        response = client.post("/accounts/password/reset/", {"email": email})
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], text_of(parse(page))))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302


@pytest.mark.parametrize("username", ["abc", "a" * 40, "Lizzy_Bennet_1", "x_y", "123", "A1B"])
def test_usernames_within_the_rules_are_accepted(client, username):
    assert client.post("/signup", signup_data(username=username)).status_code == 302
    assert User.objects.filter(username=username).exists()


@pytest.mark.parametrize("password", ["p" * 8, "p" * 72])
def test_passwords_of_8_to_72_characters_are_accepted(client, password):
    data = signup_data(password1=password, password2=password)
    assert client.post("/signup", data).status_code == 302


BAD_SIGNUPS = {
    "username_too_short": ({"username": "ab"}, "at least 3 characters"),
    "username_too_long": ({"username": "a" * 41}, "at most 40 characters"),
    "username_with_a_dash": ({"username": "lizzy-bennet"}, "Use only letters, numbers"),
    "username_with_a_space": ({"username": "lizzy bennet"}, "Use only letters, numbers"),
    "username_starting_with_underscore": ({"username": "_lizzy"}, "Use only letters"),
    "username_ending_with_underscore": ({"username": "lizzy_"}, "Use only letters"),
    "username_with_accents": ({"username": "élise"}, "Use only letters"),
    "username_taken": ({"username": "alice"}, "A user with that username already exists."),
    "username_taken_in_another_case": ({"username": "ALICE"}, "username already exists"),
    "username_missing": ({"username": ""}, "This field is required."),
    "password_too_short": (
        {"password1": "p" * 7, "password2": "p" * 7},
        "at least 8 characters",
    ),
    "password_too_long": (
        {"password1": "p" * 73, "password2": "p" * 73},
        "Password is too long (maximum is 72 characters).",
    ),
    "passwords_differ": ({"password2": "another good password"}, "same password"),
    "email_invalid": ({"email": "not-an-email"}, "valid email address"),
}


@pytest.mark.parametrize("case", list(BAD_SIGNUPS))
def test_a_bad_signup_says_why_keeps_what_was_typed_and_saves_nothing(alice, client, case):
    changes, message = BAD_SIGNUPS[case]
    data = signup_data(**changes)
    before = row_counts(User, Pseud)
    response = client.post("/signup", data)
    assert response.status_code == 200
    doc = parse(response)
    error = doc.xpath("//div[@id='main']//div[contains(@class, 'flash error')]")[0]
    assert message in text_of(error)
    assert (form_value(doc, "username") or "") == data["username"]
    assert (form_value(doc, "email") or "") == data["email"]
    # Passwords are never sent back to the browser.
    assert not form_value(doc, "password1")
    assert row_counts(User, Pseud) == before
    assert "_auth_user_id" not in client.session


def test_the_check_your_mail_page_is_in_the_archives_frame(client):
    response = client.post("/signup", signup_data())
    doc = parse(client.get(response["Location"]))
    assert doc.xpath("//header[@id='header']") and doc.xpath("//footer[@id='footer']")
    assert "lizzy@example.org" in text_of(doc.xpath("//div[@id='main']")[0])
    assert "Menu:" not in text_of(doc)
