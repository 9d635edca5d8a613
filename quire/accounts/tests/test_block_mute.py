"""Blocking and muting: the owner's lists, the confirmation pages, the buttons on a user's
page, and the rules (never oneself, never an official account, at most 2,000 each)."""

import pytest

from quire.accounts import permissions
from quire.accounts.actions import do_block_user, do_mute_user
from quire.accounts.models import Block, Mute
from quire.accounts.queries import blocked_by_any, muted_user_ids
from quire.conftest import client_for
from quire.testing import make_user, parse, text_of

pytestmark = pytest.mark.django_db


def flash(response) -> str:
    return " ".join(
        text_of(div) for div in parse(response).xpath("//div[contains(@class,'flash')]")
    )


@pytest.mark.parametrize(
    ("kind", "path", "param"), [("block", "blocked", "blocked_id"), ("mute", "muted", "muted_id")]
)
class TestLists:
    def test_it_blocks_or_mutes_after_the_confirmation_page(self, kind, path, param, alice, bob):
        client = client_for(alice)
        confirm = client.get(f"/users/alice/{path}/users/confirm_{kind}?{param}=bob")
        assert confirm.status_code == 200
        assert text_of(parse(confirm).xpath("//h2")[0]) == f"{kind.capitalize()} bob?"
        response = client.post(f"/users/alice/{path}/users", {param: "bob"}, follow=True)
        assert f"You have {path} the user bob." in flash(response)
        assert parse(response).xpath(f"//ul[contains(@class,'{path} users')]//a[text()='bob']")
        model = Block if kind == "block" else Mute
        assert model.objects.count() == 1

    def test_it_unblocks_or_unmutes(self, kind, path, param, alice, bob):
        (do_block_user if kind == "block" else do_mute_user)(alice, bob)
        client = client_for(alice)
        assert (
            client.get(f"/users/alice/{path}/users/confirm_un{kind}?{param}=bob").status_code == 200
        )
        response = client.post(
            f"/users/alice/{path}/users/confirm_un{kind}", {param: "bob"}, follow=True
        )
        assert f"You have un{path} the user bob." in flash(response)
        assert Block.objects.count() == Mute.objects.count() == 0

    def test_the_lists_are_the_owners_alone(self, kind, path, param, client, alice, bob):
        for url in (
            f"/users/alice/{path}/users",
            f"/users/alice/{path}/users/confirm_{kind}?{param}=carol",
        ):
            assert client_for(bob).get(url).status_code == 404
            assert client.get(url).status_code == 302  # a guest is sent to log in
        assert client_for(bob).post(f"/users/alice/{path}/users", {param: "bob"}).status_code == 404
        assert Block.objects.count() == Mute.objects.count() == 0

    def test_it_refuses_oneself(self, kind, path, param, alice):
        response = client_for(alice).get(f"/users/alice/{path}/users/confirm_{kind}?{param}=alice")
        assert response.status_code == 422
        assert f"You can't {kind} yourself." in flash(response)
        response = client_for(alice).post(f"/users/alice/{path}/users", {param: "ALICE"})
        assert response.status_code == 422
        assert Block.objects.count() == Mute.objects.count() == 0

    def test_it_refuses_an_official_account(self, kind, path, param, alice, admin_user):
        response = client_for(alice).post(f"/users/alice/{path}/users", {param: "admin"})
        assert response.status_code == 422
        assert "official Archive account" in flash(response)
        assert Block.objects.count() == Mute.objects.count() == 0

    def test_an_unknown_user_gets_a_message_and_keeps_what_was_typed(
        self, kind, path, param, alice
    ):
        typed = "no_such <person>"
        response = client_for(alice).get(
            f"/users/alice/{path}/users/confirm_{kind}", {param: typed}
        )
        assert response.status_code == 422
        assert "There is no user called “no_such <person>”" in flash(response)
        assert parse(response).xpath(f"//input[@name='{param}']")[0].get("value") == typed
        response = client_for(alice).post(f"/users/alice/{path}/users", {param: typed})
        assert parse(response).xpath(f"//input[@name='{param}']")[0].get("value") == typed
        empty = client_for(alice).post(f"/users/alice/{path}/users", {param: ""})
        assert f"Please enter the username of the user to {kind}." in flash(empty)

    def test_it_says_so_when_already_done(self, kind, path, param, alice, bob):
        (do_block_user if kind == "block" else do_mute_user)(alice, bob)
        response = client_for(alice).get(f"/users/alice/{path}/users/confirm_{kind}?{param}=bob")
        assert f"You have already {path} bob." in text_of(
            parse(response).xpath("//p[@class='caution']")[0]
        )
        response = client_for(alice).post(f"/users/alice/{path}/users", {param: "bob"})
        assert f"You have already {path} bob." in flash(response)

    def test_it_stops_at_the_limit(self, kind, path, param, alice, bob, monkeypatch):
        monkeypatch.setitem(permissions.LIMITS, kind, 1)
        carol = make_user("carol")
        (do_block_user if kind == "block" else do_mute_user)(alice, carol)
        response = client_for(alice).post(f"/users/alice/{path}/users", {param: "bob"})
        assert f"you can {kind} up to 1 users" in flash(response)
        model = Block if kind == "block" else Mute
        assert model.objects.count() == 1

    def test_the_list_is_paginated_in_a_fixed_number_of_queries(
        self, kind, path, param, alice, django_assert_max_num_queries
    ):
        act = do_block_user if kind == "block" else do_mute_user
        for number in range(25):
            act(alice, make_user(f"reader{number}"))
        client = client_for(alice)
        with django_assert_max_num_queries(8):
            first = client.get(f"/users/alice/{path}/users")
        assert len(parse(first).xpath("//li[contains(@class,'user blurb')]")) == 20
        second = client.get(f"/users/alice/{path}/users?page=2")
        assert len(parse(second).xpath("//li[contains(@class,'user blurb')]")) == 5


def test_the_limits_are_2000():
    assert permissions.LIMITS == {"block": 2_000, "mute": 2_000}


def test_a_users_page_offers_block_and_mute_to_other_readers(client, alice, bob, admin_user):
    page = parse(client_for(bob).get("/users/alice"))
    assert page.xpath("//li[@class='block']/a[text()='Block']/@href") == [
        "/users/bob/blocked/users/confirm_block?blocked_id=alice"
    ]
    assert page.xpath("//li[@class='mute']/a[text()='Mute']/@href") == [
        "/users/bob/muted/users/confirm_mute?muted_id=alice"
    ]
    do_block_user(bob, alice)
    do_mute_user(bob, alice)
    page = parse(client_for(bob).get("/users/alice"))
    assert page.xpath("//li[@class='block']/a/text()") == ["Unblock"]
    assert page.xpath("//li[@class='mute']/a/text()") == ["Unmute"]
    # Not on one's own page, not to guests, never for an official account.
    assert not parse(client_for(alice).get("/users/alice")).xpath("//li[@class='block']")
    assert not parse(client.get("/users/alice")).xpath("//li[@class='block']")
    assert not parse(client_for(bob).get("/users/admin")).xpath("//li[@class='block']")


def test_the_questions_other_apps_ask(alice, bob, carol):
    do_block_user(alice, carol)
    do_mute_user(bob, carol)
    assert blocked_by_any(carol, [alice.pk, bob.pk])
    assert not blocked_by_any(bob, [alice.pk])
    assert muted_user_ids(bob) == {carol.pk}
    assert muted_user_ids(alice) == frozenset()
