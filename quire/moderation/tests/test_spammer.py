"""Marking a user as a spammer hides everything of theirs from everyone but them and staff;
unmarking shows again exactly what was shown before."""

import pytest
from django.contrib.auth.models import Permission

from quire.conftest import client_for
from quire.moderation.actions import do_hide, do_mark_spammer, do_unmark_spammer
from quire.moderation.queries import log_about
from quire.social.actions import BookmarkInput, do_create_bookmark
from quire.testing import make_comment, make_user, make_work
from quire.works.models import Series, WorkStats

pytestmark = pytest.mark.django_db


@pytest.fixture
def spammer(db):
    return make_user("spamalot")


@pytest.fixture
def moderator(db):
    user = make_user("moderator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="mark_spammer"))
    return user


def test_marking_hides_works_series_comments_bookmarks_and_pseuds_and_unmarking_restores(
    alice, bob, spammer, moderator, client
):
    work = make_work(author=spammer, title="Cheap Pills", new_series_title="Pill Saga")
    other = make_work(author=spammer, title="Also Spam")
    series = Series.objects.get(title="Pill Saga")
    alices = make_work(author=alice, title="Honest Work")
    make_comment(alices, user=spammer, text="Visit my shop")
    do_create_bookmark(
        alices, owner=spammer, data=BookmarkInput(pseud=spammer.pseuds.get(), notes="shop link")
    )
    do_hide(moderator, other, "Already hidden for a different reason")
    stats = WorkStats.objects.get(work=alices)
    assert (stats.comments_count, stats.bookmarks_count) == (1, 1)

    response = client_for(moderator).post(
        "/staff/users/spamalot/spammer", {"note": "Shop links everywhere"}
    )
    assert response.status_code == 302
    spammer.refresh_from_db()
    assert spammer.spammer
    bob_client = client_for(bob)
    for reader in (client, bob_client):
        assert reader.get(f"/works/{work.pk}").status_code == 404
        assert reader.get(f"/series/{series.pk}").status_code == 404
        assert reader.get("/users/spamalot/pseuds/spamalot/works").status_code == 404
        assert "Cheap Pills" not in reader.get("/works").content.decode()
        page = reader.get(f"/works/{alices.pk}").content.decode()
        assert "Visit my shop" not in page
        assert "shop link" not in reader.get(f"/works/{alices.pk}/bookmarks").content.decode()
    stats.refresh_from_db()
    assert (stats.comments_count, stats.bookmarks_count) == (0, 0)
    own = client_for(spammer).get(f"/works/{work.pk}")
    assert own.status_code == 200 and "marked as spam" in own.content.decode()
    staff = make_staff_reader()
    assert staff.get(f"/works/{work.pk}").status_code == 200
    assert staff.get(f"/series/{series.pk}").status_code == 200
    assert next(entry.action for entry in log_about(spammer)) == "mark_spammer"

    client_for(moderator).post("/staff/users/spamalot/spammer", {"spammer": "false"})
    spammer.refresh_from_db()
    assert not spammer.spammer
    assert client.get(f"/works/{work.pk}").status_code == 200
    assert client.get(f"/series/{series.pk}").status_code == 200
    assert "Visit my shop" in client.get(f"/works/{alices.pk}").content.decode()
    # Hidden for another reason before: still hidden.
    assert client.get(f"/works/{other.pk}").status_code == 404
    stats.refresh_from_db()
    assert (stats.comments_count, stats.bookmarks_count) == (1, 1)


def make_staff_reader():
    return client_for(make_user("reader_staff", is_staff=True))


def test_marking_twice_changes_the_counts_once(alice, spammer, moderator):
    work = make_work(author=alice)
    make_comment(work, user=spammer)
    do_mark_spammer(moderator, spammer)
    do_mark_spammer(moderator, spammer)
    assert WorkStats.objects.get(work=work).comments_count == 0
    do_unmark_spammer(moderator, spammer)
    do_unmark_spammer(moderator, spammer)
    assert WorkStats.objects.get(work=work).comments_count == 1


@pytest.mark.parametrize("who", ["guest", "bob", "alice"])
def test_only_staff_with_the_permission_mark_spammers(who, viewers, spammer):
    response = viewers[who].post("/staff/users/spamalot/spammer")
    assert response.status_code == 404
    spammer.refresh_from_db()
    assert not spammer.spammer


def test_the_spammer_controls_show_to_staff_only(moderator, spammer, rf):
    from django.template import Context, Template

    template = Template("{% load moderation %}{% spammer_controls subject %}")
    request = rf.get("/staff/users/spamalot")
    request.user = moderator
    assert "Mark as spammer" in template.render(Context({"request": request, "subject": spammer}))
    request.user = spammer
    assert template.render(Context({"request": request, "subject": spammer})) == ""
