"""What blocks and mutes do in the social app: a blocked reader can't leave kudos on any work
of the blocker's (the button isn't offered, a post is refused with a message, nothing is
written); a muted user's bookmarks, and bookmarks of their works and series, leave the
muter's bookmark listings."""

import pytest

from quire.accounts.actions import do_block_user, do_mute_user, do_unblock_user
from quire.conftest import client_for
from quire.social.actions import (
    BookmarkInput,
    KudosError,
    do_create_bookmark,
    do_create_series_bookmark,
    do_leave_kudos,
)
from quire.social.models import Kudo
from quire.social.permissions import BLOCKED
from quire.testing import make_user, make_work, parse, set_work_fields, text_of
from quire.works.models import WorkStats

pytestmark = pytest.mark.django_db

KUDOS_BUTTON = "//form[@id='new_kudo']"


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Not For Carol")


def test_blocked_cannot_leave_kudos(work, alice, carol):
    do_block_user(alice, carol)
    client = client_for(carol)
    assert not parse(client.get(f"/works/{work.pk}")).xpath(KUDOS_BUTTON)
    response = client.post(f"/works/{work.pk}/kudos", follow=True)
    assert BLOCKED in text_of(parse(response).xpath("//div[contains(@class,'flash')]")[0])
    json = client.post(
        f"/works/{work.pk}/kudos", headers={"Accept": "application/json"}, REMOTE_ADDR="10.1.1.1"
    )
    assert json.status_code == 422
    assert json.json()["message"] == BLOCKED
    with pytest.raises(KudosError, match="blocked"):
        do_leave_kudos(work, user=carol)
    assert not Kudo.objects.exists()
    assert WorkStats.objects.get(work=work).kudos_count == 0


def test_any_creator_blocking_is_enough_and_anonymity_does_not_lift_it(alice, bob, carol):
    shared = make_work(
        author=bob, title="Co-written", pseuds=[bob.pseuds.get(), alice.pseuds.get()]
    )
    set_work_fields(shared, anonymous=True)
    do_block_user(alice, carol)
    assert not parse(client_for(carol).get(f"/works/{shared.pk}")).xpath(KUDOS_BUTTON)
    with pytest.raises(KudosError):
        do_leave_kudos(shared, user=carol)


def test_others_and_guests_still_leave_kudos(work, alice, bob, carol, client):
    do_block_user(alice, carol)
    assert parse(client_for(bob).get(f"/works/{work.pk}")).xpath(KUDOS_BUTTON)
    assert parse(client.get(f"/works/{work.pk}")).xpath(KUDOS_BUTTON)
    do_leave_kudos(work, user=bob)
    do_leave_kudos(work, ip="10.0.0.9")
    # Carol's block is alice's: carol can leave kudos on bob's works, and the blocker on hers.
    do_leave_kudos(make_work(author=bob, title="Bob's"), user=carol)
    do_leave_kudos(make_work(author=carol, title="Carol's"), user=alice)
    assert Kudo.objects.count() == 4


def test_unblocking_lets_them_leave_kudos_again(work, alice, carol):
    do_block_user(alice, carol)
    do_unblock_user(alice, carol)
    assert parse(client_for(carol).get(f"/works/{work.pk}")).xpath(KUDOS_BUTTON)
    do_leave_kudos(work, user=carol)


def bookmark(user, work=None, series=None):
    data = BookmarkInput(pseud=user.pseuds.get(is_default=True))
    if series is not None:
        return do_create_series_bookmark(series, owner=user, data=data)
    return do_create_bookmark(work, owner=user, data=data)


def listed_ids(response) -> list[int]:
    return sorted(
        int(i.removeprefix("bookmark_"))
        for i in parse(response).xpath("//li/@id")
        if i.startswith("bookmark_")
    )


def test_a_muted_users_bookmarks_leave_the_muters_listings(work, alice, bob, carol):
    by_carol = bookmark(carol, work)
    by_dora = bookmark(make_user("dora"), work)
    do_mute_user(bob, carol)
    viewer = client_for(bob)
    for path in ("/bookmarks", f"/works/{work.pk}/bookmarks"):
        assert listed_ids(viewer.get(path)) == [by_dora.pk], path
    assert listed_ids(viewer.get("/users/carol/bookmarks")) == []
    # Everyone else still sees them, and so does carol.
    assert listed_ids(client_for(alice).get("/bookmarks")) == sorted([by_carol.pk, by_dora.pk])
    assert listed_ids(client_for(carol).get("/users/carol/bookmarks")) == [by_carol.pk]


def test_bookmarks_of_a_muted_users_works_and_series_leave_them_too(alice, bob, carol):
    dora = make_user("dora")
    carols = make_work(author=carol, title="Carol's Story", new_series_title="Carol's Saga")
    anonymous = make_work(author=carol, title="Nameless")
    set_work_fields(anonymous, anonymous=True)
    alices = make_work(author=alice, title="Alice's")
    of_work, of_series = bookmark(dora, carols), bookmark(dora, series=carols.series.get())
    of_anonymous, kept = bookmark(dora, anonymous), bookmark(dora, alices)
    do_mute_user(bob, carol)
    viewer = client_for(bob)
    for path in ("/bookmarks", "/users/dora/bookmarks"):
        assert listed_ids(viewer.get(path)) == sorted([of_anonymous.pk, kept.pk]), path
    everyone = sorted([of_work.pk, of_series.pk, of_anonymous.pk, kept.pk])
    assert listed_ids(client_for(alice).get("/bookmarks")) == everyone


def test_one_mute_filter_leaves_out_works_bookmarks_and_comments_of_muted_users(alice, bob, carol):
    from django.contrib.auth.models import AnonymousUser

    from quire.accounts.queries import without_muted
    from quire.social.models import Bookmark, Comment
    from quire.social.queries import BOOKMARK_MAKERS, COMMENT_MAKERS
    from quire.testing import make_comment
    from quire.works.models import Work

    shown = make_work(author=alice, title="Shown")
    muted = make_work(author=carol, title="Muted")
    anonymous = make_work(author=carol, title="Anonymous")
    set_work_fields(anonymous, anonymous=True)
    make_comment(shown, user=carol)
    kept = make_comment(shown, user=alice)
    do_create_bookmark(shown, owner=carol, data=BookmarkInput(pseud=carol.pseuds.get()))
    do_mute_user(bob, carol)

    works = without_muted(
        bob, Work.objects.all(), by=("creatorships__pseud__user",), anonymous="anonymous"
    )
    assert set(works) == {shown, anonymous}  # an anonymous work never says who wrote it
    assert muted in without_muted(
        AnonymousUser(), Work.objects.all(), by=("creatorships__pseud__user",)
    )
    assert list(without_muted(bob, Comment.objects.all(), by=COMMENT_MAKERS)) == [kept]
    assert not without_muted(bob, Bookmark.objects.all(), by=BOOKMARK_MAKERS).exists()
    assert without_muted(alice, Bookmark.objects.all(), by=BOOKMARK_MAKERS).count() == 1
