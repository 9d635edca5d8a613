"""Changing one's login (AO3-INVENTORY §1.7): sign-up's rules for the name, the password to
confirm, at most once every 7 days; the old name redirects and stays reserved."""

import datetime

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from django.utils import timezone

from quire.accounts.actions import do_change_username, do_create_pseud
from quire.accounts.models import PastUsername, User
from quire.testing import TEST_PASSWORD, make_work, parse, text_of

pytestmark = pytest.mark.django_db

PATH = "/users/alice/change_username"


def rename(client, new, password=TEST_PASSWORD, login="alice"):
    return client.post(f"/users/{login}/change_username", {"new_login": new, "password": password})


def test_the_owner_changes_their_username(alice, alice_client):
    response = rename(alice_client, "elizabeth")
    assert response["Location"] == "/users/elizabeth"
    alice.refresh_from_db()
    assert alice.username == "elizabeth"
    assert alice.pseuds.get(is_default=True).name == "elizabeth"
    assert list(PastUsername.objects.values_list("username", flat=True)) == ["alice"]


def test_the_old_name_redirects_to_the_new_one(alice, alice_client, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    rename(alice_client, "elizabeth")
    for old, new in (
        ("/users/alice", "/users/elizabeth"),
        ("/users/alice/works", "/users/elizabeth/works"),
        ("/users/alice/pseuds", "/users/elizabeth/pseuds"),
        ("/users/alice/bookmarks", "/users/elizabeth/bookmarks"),
        ("/users/alice/profile", "/users/elizabeth/profile"),
        ("/users/ALICE/works?page=2", "/users/elizabeth/works?page=2"),
        ("/users/alice/pseuds/alice/works", "/users/elizabeth/pseuds/elizabeth/works"),
        ("/users/alice/pseuds/Lizzy", f"/users/elizabeth/pseuds/{lizzy.name}"),
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
    assert client.get("/users/elizabeth/profile").status_code == 200


def test_an_unknown_name_is_still_a_404(alice, client):
    assert client.get("/users/nobody/works").status_code == 404


def test_a_second_rename_within_7_days_is_refused(alice, alice_client):
    rename(alice_client, "elizabeth")
    response = rename(alice_client, "lizzy", login="elizabeth")
    assert response.status_code == 200
    assert "only once every 7 days" in response.content.decode()
    alice.refresh_from_db()
    assert alice.username == "elizabeth"


def test_a_rename_is_allowed_again_after_7_days(alice, alice_client):
    do_change_username(alice, "elizabeth")
    PastUsername.objects.update(changed_at=timezone.now() - datetime.timedelta(days=7, hours=1))
    assert rename(alice_client, "lizzy", login="elizabeth").status_code == 302
    alice.refresh_from_db()
    assert alice.username == "lizzy"


def test_the_password_must_be_right(alice, alice_client):
    response = rename(alice_client, "elizabeth", password="wrong password")
    assert "Your password was incorrect." in response.content.decode()
    assert User.objects.get(pk=alice.pk).username == "alice"
    assert not PastUsername.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bob", "That username is already taken."),
        ("BOB", "That username is already taken."),
        ("al", "at least 3 characters"),
        ("_alice", "Use only letters, numbers and underscores"),
        ("a" * 41, "at most 40 characters"),
        ("orphan_account", "That username is reserved."),
        ("alice", "That is already your username."),
    ],
)
def test_sign_up_rules_apply_to_the_new_name(alice, bob, alice_client, name, message):
    response = rename(alice_client, name)
    assert message in response.content.decode()
    doc = parse(response)
    assert doc.xpath("//input[@name='new_login']")[0].get("value") == name
    assert User.objects.get(pk=alice.pk).username == "alice"


def test_a_past_name_cannot_be_taken_by_someone_else(alice, bob, bob_client):
    do_change_username(alice, "elizabeth")
    response = rename(bob_client, "Alice", login="bob")
    assert "That username is already taken." in response.content.decode()
    assert User.objects.get(pk=bob.pk).username == "bob"


def test_the_owner_may_take_a_past_name_back(alice, alice_client):
    do_change_username(alice, "elizabeth")
    PastUsername.objects.update(changed_at=timezone.now() - datetime.timedelta(days=8))
    assert rename(alice_client, "alice", login="elizabeth").status_code == 302
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_a_past_name_is_freed_when_its_account_is_deleted(alice, db):
    from quire.accounts.queries import username_refusal

    do_change_username(alice, "elizabeth")
    assert username_refusal("alice") == "That username is already taken."
    alice.delete()
    assert username_refusal("alice") is None


def test_sign_up_refuses_a_past_name_and_the_orphan_account(alice):
    do_change_username(alice, "elizabeth")
    with pytest.raises(ValidationError, match="reserved"):
        get_adapter().clean_username("orphan_account")
    with pytest.raises(ValidationError, match="already taken"):
        get_adapter().clean_username("alice")


def test_a_rename_bumps_every_work_of_the_user(alice):
    lizzy = do_create_pseud(alice, "Lizzy")
    mine = make_work(author=alice)
    as_lizzy = make_work(author=alice, pseuds=[lizzy])
    versions = (mine.version, as_lizzy.version)
    do_change_username(alice, "elizabeth")
    mine.refresh_from_db()
    as_lizzy.refresh_from_db()
    assert (mine.version, as_lizzy.version) == (versions[0] + 1, versions[1] + 1)


def test_the_byline_shows_the_new_name(alice, alice_client, client):
    work = make_work(author=alice)
    client.get(f"/works/{work.pk}")  # cached for guests
    rename(alice_client, "elizabeth")
    doc = parse(client.get(f"/works/{work.pk}"))
    assert text_of(doc.xpath("//h3[@class='byline heading']")[0]) == "elizabeth"


def test_a_pseud_named_like_the_new_login_becomes_the_default(alice):
    do_create_pseud(alice, "elizabeth")
    do_change_username(alice, "Elizabeth")
    assert sorted(alice.pseuds.values_list("name", "is_default")) == [
        ("alice", False),
        ("elizabeth", True),
    ]


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_else_can_rename_a_user(alice, viewers, viewer):
    for response in (viewers[viewer].get(PATH), rename(viewers[viewer], "stolen")):
        if viewer == "guest":
            assert response["Location"] == f"/users/login?next={PATH}"
        else:
            assert response.status_code == 404
    assert User.objects.get(pk=alice.pk).username == "alice"


def test_staff_see_past_usernames_and_profiles_in_the_admin(alice, admin_client_):
    do_change_username(alice, "elizabeth")
    doc = parse(admin_client_.get("/admin/accounts/pastusername/"))
    assert "alice" in text_of(doc.xpath("//table[@id='result_list']")[0])
    response = admin_client_.get(f"/admin/accounts/user/{alice.pk}/change/")
    assert response.status_code == 200
    assert parse(response).xpath("//textarea[@name='profile_about']")


def test_a_name_taken_between_the_check_and_the_change_is_a_message(
    alice, alice_client, monkeypatch
):
    # Another account takes the name after the form checked it: the constraint decides,
    # nothing changes, and the form says so (never a 500).
    from quire.accounts.forms import ChangeUsernameForm
    from quire.testing import make_user

    make_user("elizabeth")
    monkeypatch.setattr(ChangeUsernameForm, "clean_new_login", lambda self: "Elizabeth")
    response = alice_client.post(
        "/users/alice/change_username", {"new_login": "Elizabeth", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "already taken" in text_of(parse(response))
    alice.refresh_from_db()
    assert alice.username == "alice"
    assert not PastUsername.objects.filter(user=alice).exists()
