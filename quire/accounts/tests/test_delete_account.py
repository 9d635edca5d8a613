"""Deleting an account (AO3's DELETE /users/:login): a preview of every work and series
affected, a choice for each one the user alone created (orphan with or without the pseud's
name, or delete), co-created ones left to their other creators, the password to confirm, all
in one transaction, then logged out."""

import pytest
from django.contrib.auth import SESSION_KEY

from quire.accounts.actions import ORPHAN_USERNAME, DeletionPlan, Fate, do_delete_account
from quire.accounts.models import Pseud, User
from quire.social.actions import BookmarkInput, do_create_bookmark, do_leave_kudos
from quire.social.models import Comment
from quire.testing import TEST_PASSWORD, make_comment, make_work, parse, text_of
from quire.works.models import Series, Work, WorkStats

pytestmark = pytest.mark.django_db

PATH = "/users/alice/delete"


@pytest.fixture
def shelf(alice, bob):
    """Alice's works: two of her own, one in a series of her own, and one with bob."""
    series = Series.objects.create(title="Collected Letters")
    return {
        "kept": make_work(author=alice, title="Kept"),
        "nameless": make_work(author=alice, title="Nameless"),
        "gone": make_work(author=alice, title="Gone", series=series),
        "shared": make_work(
            author=alice, title="Shared", pseuds=[alice.pseuds.get(), bob.pseuds.get()]
        ),
        "draft": make_work(author=alice, title="Draft", posted=False),
        "series": series,
        "bobs": make_work(author=bob, title="Bob's"),
    }


def choices(shelf, **overrides) -> dict:
    data = {
        f"work_{shelf['kept'].pk}": "orphan_pseud",
        f"work_{shelf['nameless'].pk}": "orphan",
        f"work_{shelf['gone'].pk}": "delete",
        f"work_{shelf['draft'].pk}": "delete",
        f"series_{shelf['series'].pk}": "orphan",
        "password": TEST_PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_preview_lists_every_work_and_series(alice, alice_client, shelf):
    doc = parse(alice_client.get(PATH))
    sole = [text_of(dt) for dt in doc.xpath("//fieldset[1]//dt")]
    assert sole == ["Draft (draft)", "Gone", "Kept", "Nameless", "Collected Letters"]
    # A draft can only be deleted.
    draft_choices = doc.xpath(f"//input[@name='work_{shelf['draft'].pk}']")
    assert [(box.get("value"), box.get("checked") is not None) for box in draft_choices] == [
        ("delete", True)
    ]
    assert [text_of(li) for li in doc.xpath("//ul[@class='shared']/li")] == ["Shared"]
    assert doc.xpath("//input[@name='password'][@type='password']")


def test_deleting_with_orphan_and_delete_choices(alice, bob, alice_client, client, shelf):
    response = alice_client.post(PATH, choices(shelf))
    assert response["Location"] == "/"
    assert SESSION_KEY not in alice_client.session
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Pseud.objects.filter(user_id=alice.pk).exists()
    orphan = User.objects.get(username=ORPHAN_USERNAME)
    remaining = {
        work.title: sorted(p.byline for p in work.pseuds.all())
        for work in Work.objects.order_by("title")
    }
    assert remaining == {
        "Bob's": ["bob"],
        "Kept": [f"alice ({ORPHAN_USERNAME})"],
        "Nameless": [ORPHAN_USERNAME],
        "Shared": ["bob"],
    }
    assert list(shelf["series"].pseuds.values_list("user", flat=True)) == [orphan.pk]
    doc = parse(client.get(f"/works/{shelf['shared'].pk}"))
    assert text_of(doc.xpath("//h3[@class='byline heading']")[0]) == "bob"


def test_every_sole_work_needs_a_choice(alice, alice_client, shelf):
    data = choices(shelf)
    del data[f"work_{shelf['kept'].pk}"]
    response = alice_client.post(PATH, data)
    assert response.status_code == 200
    assert "Choose what happens to “Kept”." in response.content.decode()
    doc = parse(response)
    checked = doc.xpath(f"//input[@name='work_{shelf['nameless'].pk}'][@checked]")
    assert [box.get("value") for box in checked] == ["orphan"]
    assert User.objects.filter(pk=alice.pk).exists()
    assert Work.objects.count() == 6


def test_a_wrong_password_deletes_nothing(alice, alice_client, shelf):
    response = alice_client.post(PATH, choices(shelf, password="not it"))
    assert "Your password was incorrect." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert Work.objects.count() == 6
    assert not User.objects.filter(username=ORPHAN_USERNAME).exists()


def test_a_failure_halfway_leaves_everything_as_it_was(alice, shelf, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("quire.accounts.actions.deletion.do_delete_comment", fail)
    make_comment(shelf["bobs"], user=alice)
    plan = DeletionPlan(
        works={shelf["kept"].pk: Fate.ORPHAN, shelf["gone"].pk: Fate.DELETE},
    )
    with pytest.raises(RuntimeError):
        do_delete_account(alice, plan)
    assert User.objects.filter(pk=alice.pk).exists()
    assert Work.objects.filter(pk=shelf["gone"].pk).exists()
    assert shelf["kept"].pseuds.get().user == alice


def test_bookmarks_kudos_and_comments_go_with_the_account(alice, bob, shelf):
    bobs = shelf["bobs"]
    do_create_bookmark(bobs, owner=alice, data=BookmarkInput(pseud=alice.pseuds.get()))
    do_leave_kudos(bobs, user=alice)
    lone = make_comment(bobs, user=alice, text="Lovely.")
    answered = make_comment(bobs, user=alice, text="Answer me.")
    reply = make_comment(bobs, user=bob, parent=answered, text="Here.")
    stats = WorkStats.objects.get(work=bobs)
    assert (stats.bookmarks_count, stats.kudos_count, stats.comments_count) == (1, 1, 3)
    do_delete_account(alice, DeletionPlan())
    stats.refresh_from_db()
    assert (stats.bookmarks_count, stats.kudos_count, stats.comments_count) == (0, 0, 1)
    assert not Comment.objects.filter(pk=lone.pk).exists()
    placeholder = Comment.objects.get(pk=answered.pk)
    assert placeholder.deleted and placeholder.user is None and placeholder.content == ""
    assert Comment.objects.filter(pk=reply.pk).exists()


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_else_can_delete_an_account(alice, viewers, viewer):
    data = {"password": TEST_PASSWORD}
    for response in (viewers[viewer].get(PATH), viewers[viewer].post(PATH, data)):
        if viewer == "guest":
            assert response["Location"] == f"/users/login?next={PATH}"
        else:
            assert response.status_code == 404
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_dashboard_links_account_deletion_for_its_owner(alice, viewers):
    assert parse(viewers["alice"].get("/users/alice")).xpath(f"//a[@href='{PATH}']")
    assert not parse(viewers["bob"].get("/users/alice")).xpath(f"//a[@href='{PATH}']")


def test_a_draft_cannot_be_orphaned(alice, alice_client, shelf):
    response = alice_client.post(PATH, choices(shelf, **{f"work_{shelf['draft'].pk}": "orphan"}))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_wrong_passwords_count_as_failed_logins(alice, alice_client, shelf, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        response = alice_client.post(PATH, choices(shelf, password="guess"))
        assert "Your password was incorrect." in response.content.decode()
    response = alice_client.post(PATH, choices(shelf))
    assert "Too many failed login attempts." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
