"""Preferences: /users/:login/preferences, for its owner only."""

import pytest

from quire.accounts.models import Preference
from quire.testing import form_value, make_work, parse, row_counts, text_of

pytestmark = pytest.mark.django_db

GATE = "This work could have adult content."


def test_the_owner_sees_the_defaults_before_saving_anything(alice, viewers):
    doc = parse(viewers["alice"].get("/users/alice/preferences"))
    assert doc.xpath("//div[@id='main']/@class") == ["preferences-index region"]
    assert form_value(doc, "view_adult") == []
    assert form_value(doc, "disable_work_skins") == []
    assert not Preference.objects.exists()


def test_saving_preferences_stores_them_and_shows_them_back(alice, viewers):
    client = viewers["alice"]
    response = client.post("/users/alice/preferences", {"view_adult": "on"})
    assert response["Location"] == "/users/alice/preferences"
    assert Preference.objects.get(user=alice).view_adult
    doc = parse(client.get(response["Location"]))
    assert "Your preferences were successfully updated." in text_of(doc)
    assert form_value(doc, "view_adult") != []
    assert form_value(doc, "disable_work_skins") == []
    # Unticking every box posts nothing at all (the CSRF token may travel in a header).
    assert client.post("/users/alice/preferences", {}).status_code == 302
    assert not Preference.objects.get(user=alice).view_adult
    assert Preference.objects.count() == 1


@pytest.mark.parametrize("value", ["false", ""])
def test_a_false_looking_value_turns_a_preference_off(alice, viewers, value):
    viewers["alice"].post("/users/alice/preferences", {"view_adult": "on"})
    viewers["alice"].post("/users/alice/preferences", {"view_adult": value})
    assert not Preference.objects.get(user=alice).view_adult


def test_the_adult_preference_lifts_the_gate_for_that_reader_only(bob, alice, viewers):
    work = make_work(author=alice, rating="Explicit")
    assert GATE in text_of(parse(viewers["bob"].get(f"/works/{work.pk}")))
    viewers["bob"].post("/users/bob/preferences", {"view_adult": "on"})
    assert GATE not in text_of(parse(viewers["bob"].get(f"/works/{work.pk}")))
    assert GATE in text_of(parse(viewers["admin"].get(f"/works/{work.pk}")))
    assert GATE in text_of(parse(viewers["guest"].get(f"/works/{work.pk}")))


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_else_sees_or_changes_a_users_preferences(alice, viewers, viewer):
    client = viewers[viewer]
    path = "/users/alice/preferences"
    before = row_counts(Preference)
    for response in (client.get(path), client.post(path, {"view_adult": "on"})):
        if viewer == "guest":
            assert response["Location"] == f"/users/login?next={path}"
        else:
            assert response.status_code == 404
    assert row_counts(Preference) == before


def test_an_unknown_users_preferences_are_a_404(viewers):
    assert viewers["alice"].get("/users/nobody/preferences").status_code == 404
