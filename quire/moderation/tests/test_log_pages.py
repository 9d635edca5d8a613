import pytest

from quire.moderation.actions import do_log
from quire.testing import make_work, parse, text_of

pytestmark = pytest.mark.django_db


def test_the_log_lists_and_filters_by_actor_and_action(policy_client, policy, alice, bob):
    work = make_work(author=alice, title="Lake Letters")
    do_log(policy, "user_warn", alice, note="Be kind")
    do_log(bob, "hide", work, subject=alice)
    doc = parse(policy_client.get("/staff/log"))
    table = text_of(doc.get_element_by_id("activity-log"))
    assert "user_warn" in table and "Lake Letters" in table
    doc = parse(policy_client.get("/staff/log?actor=POLICY"))
    assert "Lake Letters" not in text_of(doc.get_element_by_id("activity-log"))
    doc = parse(policy_client.get("/staff/log?action=hide"))
    assert "Be kind" not in text_of(doc.get_element_by_id("activity-log"))
    doc = parse(policy_client.get("/staff/log?actor=nobody"))
    assert "Nothing logged." in text_of(doc.get_element_by_id("activity-log"))


def test_the_log_is_for_its_role_only(support_client):
    assert support_client.get("/staff/log").status_code == 403
