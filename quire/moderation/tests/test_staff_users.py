from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from quire.moderation.models import Sanction
from quire.testing import make_work, parse, text_of

from .conftest import make_staff, staff_client_for

pytestmark = pytest.mark.django_db


def future_day() -> str:
    return (timezone.localdate() + timedelta(days=10)).isoformat()


def test_the_user_page_shows_standing_works_and_log(policy_client, alice):
    make_work(author=alice, title="Letters")
    doc = parse(policy_client.get("/staff/users/ALICE"))
    assert text_of(doc.get_element_by_id("user-standing")).count("In good standing") == 1
    assert "Letters" in text_of(doc.get_element_by_id("user-works"))


def test_a_missing_user_is_a_404(policy_client):
    assert policy_client.get("/staff/users/nobody").status_code == 404


def test_staff_suspend_a_user_with_a_reason(policy_client, policy, alice):
    response = policy_client.post(
        "/staff/users/alice",
        {"kind": "suspension", "until": future_day(), "reason": "Spam in comments"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.suspended_until is not None
    sanction = Sanction.objects.get()
    assert sanction.by == policy and sanction.reason == "Spam in comments"
    doc = parse(policy_client.get("/staff/users/alice"))
    assert "Suspended until" in text_of(doc.get_element_by_id("user-standing"))
    assert "user_suspend" in text_of(doc.get_element_by_id("user-log"))
    assert "Spam in comments" in mail.outbox[0].body


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "suspension", "until": "", "reason": "x"},
        {"kind": "suspension", "until": "2001-01-01", "reason": "x"},
        {"kind": "suspension", "until": "not a date", "reason": "x"},
        {"kind": "ban", "reason": ""},
        {"kind": "erase", "reason": "x"},
    ],
)
def test_bad_sanctions_are_refused_with_the_form_kept(policy_client, alice, data):
    response = policy_client.post("/staff/users/alice", data)
    assert response.status_code == 200
    assert b'id="error"' in response.content
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("kind", ["note", "warning", "ban"])
def test_each_kind_is_recorded(policy_client, alice, kind):
    policy_client.post("/staff/users/alice", {"kind": kind, "reason": "Because"})
    assert Sanction.objects.get().kind == kind


def test_a_lift_ends_a_ban(policy_client, alice):
    policy_client.post("/staff/users/alice", {"kind": "ban", "reason": "Harassment"})
    policy_client.post("/staff/users/alice", {"kind": "lift", "reason": "Appeal"})
    alice.refresh_from_db()
    assert not alice.banned


def test_staff_who_may_not_sanction_get_no_form_and_a_403_on_post(alice):
    viewer = make_staff("viewer", None)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_sanction"))
    client = staff_client_for(viewer)
    assert b"sanction-form" not in client.get("/staff/users/alice").content
    response = client.post("/staff/users/alice", {"kind": "ban", "reason": "x"})
    assert response.status_code == 403
    assert not Sanction.objects.exists()
