"""Subscriptions: the Subscribe/Unsubscribe buttons on works, series and users, and
/users/:login/subscriptions, which only its owner sees."""

import pytest

from quire.conftest import client_for
from quire.social.actions import SubscriptionError, do_subscribe
from quire.social.models import Subscription
from quire.testing import make_user, make_work, parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Letters", new_series_title="Pemberley Letters")


@pytest.fixture
def series(work):
    return work.series.get()


def subscribe(client, login, kind, target_id, **extra):
    return client.post(
        f"/users/{login}/subscriptions",
        {"subscription[subscribable_type]": kind, "subscription[subscribable_id]": target_id}
        | extra,
    )


def button(response, label):
    return parse(response).xpath(f"//li[@class='subscribe']//button[normalize-space()='{label}']")


def listed(response) -> list[str]:
    return [
        text_of(dt) for dt in parse(response).xpath("//dl[@class='subscription index group']/dt")
    ]


# Subscribing


def test_it_subscribes_to_a_work_from_its_page_and_back(work, bob, bob_client):
    page = bob_client.get(f"/works/{work.pk}")
    assert button(page, "Subscribe")
    form = parse(page).xpath(
        "//ul[contains(@class,'work navigation actions')]//li[@class='subscribe']/form"
    )[0]
    assert form.get("action") == "/users/bob/subscriptions"

    response = subscribe(bob_client, "bob", "Work", work.pk, return_to=f"/works/{work.pk}")

    assert response.status_code == 302
    assert response.url == f"/works/{work.pk}"
    assert Subscription.objects.filter(user=bob, work=work).count() == 1
    page = bob_client.get(f"/works/{work.pk}", follow=True)
    assert "You are now following Letters" in page.content.decode()
    assert button(page, "Unsubscribe")
    assert not button(page, "Subscribe")


def test_it_subscribes_to_a_series_and_a_user(work, series, alice, bob, bob_client):
    page = bob_client.get(f"/series/{series.pk}")
    assert button(page, "Subscribe")
    subscribe(bob_client, "bob", "Series", series.pk)
    assert button(bob_client.get(f"/series/{series.pk}"), "Unsubscribe")

    page = bob_client.get("/users/alice")
    assert button(page, "Subscribe")
    response = subscribe(bob_client, "bob", "User", alice.pk)
    assert response.url == "/users/alice"
    assert button(bob_client.get("/users/alice"), "Unsubscribe")
    assert Subscription.objects.filter(user=bob).count() == 2


def test_a_second_subscribe_keeps_one_subscription(work, bob, bob_client):
    subscribe(bob_client, "bob", "Work", work.pk)
    response = subscribe(bob_client, "bob", "Work", work.pk)
    assert response.status_code == 302
    assert Subscription.objects.filter(user=bob, work=work).count() == 1
    assert do_subscribe(bob, work=work)[1] is False


def test_the_database_allows_one_subscription_per_target(work, bob):
    from django.db import IntegrityError, transaction

    Subscription.objects.create(user=bob, work=work)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=bob, work=work)


def test_nobody_subscribes_to_themself_or_their_own_work(work, alice, alice_client):
    assert not button(alice_client.get(f"/works/{work.pk}"), "Subscribe")
    assert not button(alice_client.get("/users/alice"), "Subscribe")
    subscribe(alice_client, "alice", "Work", work.pk)
    subscribe(alice_client, "alice", "User", alice.pk)
    assert not Subscription.objects.exists()
    with pytest.raises(SubscriptionError):
        do_subscribe(alice, to_user=alice)


def test_guests_see_no_buttons_and_cannot_subscribe(client, work, series, alice):
    for path in (f"/works/{work.pk}", f"/series/{series.pk}", "/users/alice"):
        assert not parse(client.get(path)).xpath("//li[@class='subscribe']")
    response = subscribe(client, "alice", "Work", work.pk)
    assert response.status_code == 302
    assert response.url.startswith("/users/login")
    assert not Subscription.objects.exists()


def test_nobody_subscribes_for_someone_else(work, bob_client, carol):
    assert subscribe(bob_client, "carol", "Work", work.pk).status_code == 404
    assert not Subscription.objects.exists()


def test_nobody_subscribes_to_what_they_cannot_see(alice, bob_client):
    draft = make_work(author=alice, posted=False)
    assert subscribe(bob_client, "bob", "Work", draft.pk).status_code == 404
    assert subscribe(bob_client, "bob", "Work", 999_999).status_code == 404
    assert subscribe(bob_client, "bob", "Series", 999_999).status_code == 404
    assert subscribe(bob_client, "bob", "User", 999_999).status_code == 404
    assert subscribe(bob_client, "bob", "Tag", 1).status_code == 404
    assert subscribe(bob_client, "bob", "Work", "x").status_code == 404
    assert not Subscription.objects.exists()


def test_registered_readers_subscribe_to_restricted_works(alice, bob, bob_client):
    work = make_work(author=alice, restricted=True)
    subscribe(bob_client, "bob", "Work", work.pk)
    assert Subscription.objects.filter(user=bob, work=work).exists()


def test_return_to_never_leaves_the_site(work, bob_client):
    response = subscribe(bob_client, "bob", "Work", work.pk, return_to="https://evil.example/")
    assert response.url == f"/works/{work.pk}"


# Unsubscribing


def test_it_unsubscribes_from_the_work_page(work, bob, bob_client):
    subscription, _ = do_subscribe(bob, work=work)
    page = bob_client.get(f"/works/{work.pk}")
    form = parse(page).xpath("//li[@class='subscribe']/form")[0]
    response = bob_client.post(form.get("action"), {"return_to": f"/works/{work.pk}"})
    assert response.url == f"/works/{work.pk}"
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert button(bob_client.get(f"/works/{work.pk}"), "Subscribe")


def test_nobody_unsubscribes_someone_else(work, bob, carol):
    subscription, _ = do_subscribe(bob, work=work)
    carol_client = client_for(carol)
    assert (
        carol_client.post(f"/users/carol/subscriptions/{subscription.pk}/delete").status_code == 404
    )
    assert (
        carol_client.post(f"/users/bob/subscriptions/{subscription.pk}/delete").status_code == 404
    )
    assert Subscription.objects.filter(pk=subscription.pk).exists()


# The list


def test_the_list_shows_each_kind_with_filters(work, series, alice, bob, bob_client):
    do_subscribe(bob, work=work)
    do_subscribe(bob, series=series)
    do_subscribe(bob, to_user=alice)
    everything = bob_client.get("/users/bob/subscriptions")
    assert everything.status_code == 200
    assert listed(everything) == ["alice", "Pemberley Letters by alice", "Letters by alice"]
    assert listed(bob_client.get("/users/bob/subscriptions?type=works")) == ["Letters by alice"]
    assert listed(bob_client.get("/users/bob/subscriptions?type=series")) == [
        "Pemberley Letters by alice"
    ]
    assert listed(bob_client.get("/users/bob/subscriptions?type=users")) == ["alice"]
    assert len(listed(bob_client.get("/users/bob/subscriptions?type=nonsense"))) == 3
    labels = [text_of(b) for b in parse(everything).xpath("//dd//button")]
    assert labels == [
        "Unsubscribe from alice",
        "Unsubscribe from Pemberley Letters",
        "Unsubscribe from Letters",
    ]


def test_the_list_is_its_owners_alone(work, bob, viewers, client):
    do_subscribe(bob, work=work)
    assert viewers["alice"].get("/users/bob/subscriptions").status_code == 404
    assert viewers["admin"].get("/users/bob/subscriptions").status_code == 404
    assert client.get("/users/bob/subscriptions").status_code == 302  # to log in
    assert viewers["bob"].get("/users/bob/subscriptions").status_code == 200
    assert viewers["bob"].get("/users/nobody/subscriptions").status_code == 404


def test_the_list_never_names_a_work_its_owner_can_no_longer_see(alice, bob, bob_client):
    from quire.works.actions import do_set_hidden_by_admin

    work = make_work(author=alice, title="Taken Down")
    do_subscribe(bob, work=work)
    do_set_hidden_by_admin(work, hidden=True)
    response = bob_client.get("/users/bob/subscriptions")
    assert "Taken Down" not in response.content.decode()
    assert listed(response) == ["A work you can no longer see"]


def test_the_list_is_paginated(alice, bob, bob_client):
    for n in range(25):
        do_subscribe(bob, work=make_work(author=alice, title=f"Work {n:02d}"))
    first = listed(bob_client.get("/users/bob/subscriptions"))
    second = listed(bob_client.get("/users/bob/subscriptions?page=2"))
    assert len(first) == 20
    assert len(second) == 5
    assert first[0] == "Work 24 by alice"


def test_it_deletes_all_after_asking(work, series, alice, bob, bob_client):
    do_subscribe(bob, work=work)
    do_subscribe(bob, series=series)
    do_subscribe(bob, to_user=alice)
    confirm = bob_client.get("/users/bob/subscriptions/delete_all?type=works")
    assert "all 1 of your work subscriptions" in text_of(parse(confirm).xpath("//form")[0])
    bob_client.post("/users/bob/subscriptions/delete_all", {"type": "works"})
    assert set(Subscription.objects.filter(user=bob).values_list("work", flat=True)) == {None}
    assert Subscription.objects.filter(user=bob).count() == 2
    response = bob_client.post("/users/bob/subscriptions/delete_all", follow=True)
    assert "unsubscribed from 2 subscriptions" in response.content.decode()
    assert not Subscription.objects.filter(user=bob).exists()


def test_nobody_deletes_all_of_someone_elses(work, bob, carol):
    do_subscribe(bob, work=work)
    carol_client = client_for(carol)
    assert carol_client.get("/users/bob/subscriptions/delete_all").status_code == 404
    assert carol_client.post("/users/bob/subscriptions/delete_all").status_code == 404
    assert Subscription.objects.filter(user=bob).exists()


def _queries_for(django_assert_max_num_queries, client, path) -> int:
    with django_assert_max_num_queries(20) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_for_5_and_50_subscriptions(
    alice, bob, bob_client, django_assert_max_num_queries
):
    writers = [make_user(f"writer{n}") for n in range(3)]

    def add(count):
        for n in range(count):
            writer = writers[n % 3]
            work = make_work(author=writer, title=f"W{n}", new_series_title=f"S{n}")
            if n % 2:
                do_subscribe(bob, work=work)
            else:
                do_subscribe(bob, series=work.series.get())
        for writer in writers:
            do_subscribe(bob, to_user=writer)

    add(5)
    few = _queries_for(django_assert_max_num_queries, bob_client, "/users/bob/subscriptions")
    Subscription.objects.all().delete()
    add(50)
    many = _queries_for(django_assert_max_num_queries, bob_client, "/users/bob/subscriptions")
    assert many == few


def test_the_work_page_costs_the_same_subscribed_or_not(
    work, bob, bob_client, django_assert_max_num_queries
):
    bob_client.get(f"/works/{work.pk}")
    before = _queries_for(django_assert_max_num_queries, bob_client, f"/works/{work.pk}")
    do_subscribe(bob, work=work)
    after = _queries_for(django_assert_max_num_queries, bob_client, f"/works/{work.pk}")
    assert after == before
