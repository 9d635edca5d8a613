"""Invitation-only sign-ups (AO3-INVENTORY §1.7): the queue, releasing it (by hand, daily,
by command), users' codes, and signing up with a code."""

import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command

from quire.accounts.models import User
from quire.accounts.tests.browser_helpers import client_log_in, enable_totp
from quire.invitations.actions import (
    do_issue_invitations,
    do_release_invitations,
    do_request_invitation,
    release_daily,
    schedule_release,
)
from quire.invitations.models import Invitation, InviteRequest
from quire.lib.spam import started_token
from quire.moderation.models import ActivityEntry
from quire.pages.actions import do_update_site_settings
from quire.pages.models import SignupMode
from quire.pages.queries import forget_site_settings
from quire.testing import make_user, parse, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "a perfectly good password"


@pytest.fixture(autouse=True)
def _invitation_only(settings):
    settings.SPAM_MIN_FORM_SECONDS = 0
    caches["ratelimit"].clear()
    forget_site_settings()
    do_update_site_settings(signups=SignupMode.INVITATION)
    yield
    caches["ratelimit"].clear()
    forget_site_settings()


@pytest.fixture
def staff_client(client):
    staff = make_user("staffer", is_staff=True, is_superuser=True)
    enable_totp(staff)
    client_log_in(client, staff)
    return client


def signup_data(**fields) -> dict:
    data = {
        "username": "lizzy_bennet",
        "email": "lizzy@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "terms": "on",
        "age": "on",
        "form_started": started_token(),
    }
    return {**data, **fields}


def ask(client, email: str, **extra):
    return client.post(
        "/invite_requests", {"email": email, "form_started": started_token(), **extra}
    )


def test_a_visitor_joins_the_queue_and_sees_their_place(client):
    do_request_invitation("first@example.org")
    response = ask(client, "Lizzy@Example.org")
    assert response.status_code == 302
    page = parse(client.get(response["Location"]))
    assert "number 2 in the queue" in text_of(page.xpath("//p[@id='queue_position']")[0])
    # Asking again keeps the place: one request per address.
    ask(client, "lizzy@example.org")
    assert InviteRequest.objects.filter(email="lizzy@example.org").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Please enter your email address."),
        ({"email": "not an address"}, "valid email address"),
        ({"email": "a@example.org", "website": "spam"}, "Leave this empty"),
    ],
)
def test_a_bad_request_says_why_and_keeps_what_was_typed(client, data, message):
    response = client.post("/invite_requests", {"form_started": started_token(), **data})
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[contains(@class,'flash error')]")[0])
    assert doc.xpath("//input[@name='email']/@value") == ([data["email"]] if data["email"] else [])
    assert not InviteRequest.objects.exists()


def test_requests_are_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invite_request": "2/3600"}
    for n in range(2):
        assert ask(client, f"r{n}@example.org").status_code == 302
    response = ask(client, "r3@example.org")
    assert response.status_code == 200
    assert "too many times" in text_of(parse(response))
    assert InviteRequest.objects.count() == 2


def test_the_status_page_tells_a_place_and_nothing_else(client, alice):
    do_request_invitation("queued@example.org")
    queued = text_of(parse(client.get("/invite_requests/status?email=queued@example.org")))
    assert "number 1" in queued
    # An address with an account, one already invited, and one never seen: the same answer.
    do_release_invitations(0)
    Invitation.objects.create(invitee_email="invited@example.org")
    answers = set()
    for email in ("alice@example.org", "invited@example.org", "nobody@example.org"):
        page = parse(client.get(f"/invite_requests/status?email={email}"))
        answers.add(text_of(page.xpath("//div[@id='main']")[0]).replace(email, "ADDRESS"))
    assert len(answers) == 1
    assert "isn't in the queue" in answers.pop()
    # A bounded, validated parameter: nonsense is a message, not an error.
    response = client.get("/invite_requests/status?email=" + "x" * 5000)
    assert response.status_code == 200


def _signup_link() -> str:
    body = str(mail.outbox[-1].body)
    return re.search(r"https?://[^/\s]+(/signup/\S+)", body).group(1)


def test_releasing_mails_each_requester_a_link_that_makes_one_account(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    do_request_invitation("lizzy@example.org")
    do_request_invitation("jane@example.org")
    released = do_release_invitations(1)
    assert [i.invitee_email for i in released] == ["lizzy@example.org"]
    assert list(InviteRequest.objects.values_list("email", flat=True)) == ["jane@example.org"]
    assert mail.outbox[-1].to == ["lizzy@example.org"]
    link = _signup_link()
    form = parse(client.get(link))
    assert form.xpath("//form[@id='signup_form']/@action") == [link]
    assert form.xpath("//input[@name='email']/@value") == ["lizzy@example.org"]
    response = client.post(link, signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="lizzy_bennet")
    invitation = Invitation.objects.get(invitee_email="lizzy@example.org")
    assert invitation.redeemed_by == user and invitation.redeemed_at
    assert int(client.session["_auth_user_id"]) == user.pk
    # The link is spent: it explains, and makes no second account.
    again = type(client)()
    page = parse(again.get(link))
    assert "isn't valid, or has already been used" in text_of(page)
    again.post(link, signup_data(username="someone_else", email="else@example.org"))
    assert not User.objects.filter(username="someone_else").exists()


def test_a_bad_signup_with_a_code_keeps_the_code_unused(client):
    invitation = Invitation.objects.create(invitee_email="lizzy@example.org")
    response = client.post(f"/signup/{invitation.token}", signup_data(terms=""))
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.redeemed_at is None


def test_a_code_used_meanwhile_rolls_the_account_back(client, monkeypatch):
    invitation = Invitation.objects.create()
    monkeypatch.setattr("quire.accounts.adapter.do_redeem_invitation", lambda token, user: False)
    response = client.post(f"/signup/{invitation.token}", signup_data())
    assert response.status_code == 200
    assert "just been used" in text_of(parse(response))
    assert not User.objects.filter(username="lizzy_bennet").exists()


def test_the_daily_release_and_the_command_release_the_days_share(client):
    for n in range(5):
        do_request_invitation(f"r{n}@example.org")
    do_update_site_settings(invitations_per_day=2)
    assert release_daily() == 2
    call_command("release_invitations")
    assert InviteRequest.objects.count() == 1
    call_command("release_invitations", count=10)
    assert not InviteRequest.objects.exists()
    assert len(mail.outbox) == 5


def test_users_see_their_codes_and_send_one(alice_client, alice, bob_client):
    invitation = do_issue_invitations(alice, 2, actor=alice)[0]
    page = parse(alice_client.get("/users/alice/invitations"))
    assert len(page.xpath("//table[@id='invitations']//code[@class='token']")) == 2
    assert bob_client.get("/users/alice/invitations").status_code == 404
    bad = alice_client.post(f"/users/alice/invitations/{invitation.pk}", {"invitee_email": "nope"})
    assert bad.status_code == 400
    assert parse(bad).xpath(f"//input[@id='invitee_email_{invitation.pk}']/@value") == ["nope"]
    response = alice_client.post(
        f"/users/alice/invitations/{invitation.pk}", {"invitee_email": "friend@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["friend@example.org"]
    assert "alice has invited you" in str(mail.outbox[-1].body)
    # Someone else's code cannot be sent from another's page.
    assert (
        bob_client.post(
            f"/users/bob/invitations/{invitation.pk}", {"invitee_email": "x@example.org"}
        ).status_code
        == 404
    )


def test_staff_release_by_hand_and_give_codes(staff_client, alice):
    for n in range(3):
        do_request_invitation(f"r{n}@example.org")
    page = parse(staff_client.get("/staff/invitations"))
    assert len(page.xpath("//ol[@class='queue']/li")) == 3
    staff_client.post("/staff/invitations", {"action": "release", "count": "2"})
    assert InviteRequest.objects.count() == 1
    staff_client.post("/staff/invitations", {"action": "issue", "username": "alice", "count": "3"})
    assert Invitation.objects.filter(creator=alice).count() == 3
    assert set(ActivityEntry.objects.values_list("action", flat=True)) == {
        "release invitations",
        "issue invitations",
    }
    bad = staff_client.post(
        "/staff/invitations", {"action": "issue", "username": "nobody_x", "count": "1"}
    )
    assert bad.status_code == 400
    assert "no user with that username" in text_of(parse(bad))


def test_staff_without_the_permission_see_no_page(client):
    staff = make_user("helper", is_staff=True)
    enable_totp(staff)
    client_log_in(client, staff)
    assert client.get("/staff/invitations").status_code == 404


def test_the_daily_release_is_queued_once_per_interval(settings):
    # Tests run tasks when queued, so "queued" shows as "released".
    settings.INVITATIONS_RELEASE_SECONDS = 3600
    for n in range(3):
        do_request_invitation(f"r{n}@example.org")
    do_update_site_settings(invitations_per_day=1)
    schedule_release()
    assert InviteRequest.objects.count() == 2
    schedule_release()  # the same interval: nothing more
    assert InviteRequest.objects.count() == 2
    settings.INVITATIONS_RELEASE_SECONDS = 0  # 0: only the command releases
    caches["default"].clear()
    schedule_release()
    assert InviteRequest.objects.count() == 2


def test_sending_codes_is_limited_per_user(alice_client, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invite_request": "2/3600"}
    invitation = do_issue_invitations(alice, 1, actor=alice)[0]
    url = f"/users/alice/invitations/{invitation.pk}"
    for n in range(2):
        assert alice_client.post(url, {"invitee_email": f"f{n}@example.org"}).status_code == 302
    refused = alice_client.post(url, {"invitee_email": "f3@example.org"})
    assert refused.status_code == 400
    assert "too many times" in text_of(parse(refused))
    assert [m.to for m in mail.outbox] == [["f0@example.org"], ["f1@example.org"]]
