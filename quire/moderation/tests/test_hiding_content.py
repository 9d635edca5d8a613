"""Staff hide and unhide each kind of content: a hidden item is 404 (or gone) for guests and
other users, out of listings and counts; its creator and staff see it with the notice and the
reason; unhiding restores it; only staff with the permission may do it, and each is logged."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from quire.conftest import client_for
from quire.moderation.actions import do_hide, do_unhide
from quire.moderation.models import Hiding
from quire.moderation.queries import log_for
from quire.social.actions import BookmarkInput, do_create_bookmark
from quire.testing import make_comment, make_user, make_work
from quire.works.models import Series, WorkStats

pytestmark = pytest.mark.django_db

REASON = "Copied text from another site"


@pytest.fixture
def moderator(db):
    """A staff member holding only the hiding permission (not a superuser)."""
    user = make_user("moderator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="hide_content"))
    return user


@pytest.fixture
def clients(client, alice, bob, moderator):
    return {
        "guest": client,
        "bob": client_for(bob),
        "alice": client_for(alice),
        "moderator": client_for(moderator),
    }


def test_a_hidden_work_is_404_to_others_and_shown_with_the_reason_to_creator_and_staff(
    alice, moderator, clients, django_capture_on_commit_callbacks
):
    work = make_work(author=alice, title="Borrowed Words")
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["moderator"].post(
            f"/staff/hide/work/{work.pk}", {"reason": REASON, "return_to": f"/works/{work.pk}"}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    for who in ("guest", "bob"):
        assert clients[who].get(f"/works/{work.pk}").status_code == 404, who
        assert "Borrowed Words" not in clients[who].get("/works").content.decode(), who
    for who in ("alice", "moderator"):
        page = clients[who].get(f"/works/{work.pk}")
        assert page.status_code == 200, who
        assert "hidden by an administrator" in page.content.decode()
        assert REASON in page.content.decode()
    assert [entry.action for entry in log_for(work)] == ["hide"]
    # The creator's dashboard keeps the notice; nobody else's view of it shows it.
    assert REASON in clients["alice"].get("/users/alice").content.decode()
    assert REASON not in clients["bob"].get("/users/alice").content.decode()
    assert mail.outbox and REASON in mail.outbox[0].body
    assert mail.outbox[0].to == [alice.email]

    clients["moderator"].post(f"/staff/unhide/work/{work.pk}", {"note": "Permission shown"})
    assert clients["guest"].get(f"/works/{work.pk}").status_code == 200
    assert "Borrowed Words" in clients["guest"].get("/works").content.decode()
    assert not Hiding.objects.exists()
    assert REASON not in clients["alice"].get("/users/alice").content.decode()
    assert [entry.action for entry in log_for(work)] == ["unhide", "hide"]


@pytest.mark.parametrize("who", ["guest", "bob", "alice"])
def test_anyone_but_staff_with_the_permission_is_refused_and_nothing_changes(
    alice, bob, clients, who
):
    work = make_work(author=alice)
    response = clients[who].post(f"/staff/hide/work/{work.pk}", {"reason": REASON})
    assert response.status_code == 404
    work.refresh_from_db()
    assert not work.hidden_by_admin
    assert not log_for(work).exists()


def test_staff_without_the_permission_are_refused(alice):
    work = make_work(author=alice)
    plain_staff = make_user("helper", is_staff=True)
    response = client_for(plain_staff).post(f"/staff/hide/work/{work.pk}", {"reason": REASON})
    assert response.status_code == 404
    work.refresh_from_db()
    assert not work.hidden_by_admin


def test_a_hiding_needs_a_reason(alice, clients):
    work = make_work(author=alice)
    clients["moderator"].post(f"/staff/hide/work/{work.pk}", {"reason": "  "})
    work.refresh_from_db()
    assert not work.hidden_by_admin


def test_an_unknown_kind_or_id_is_404(clients):
    assert clients["moderator"].post("/staff/hide/user/1", {"reason": REASON}).status_code == 404
    assert clients["moderator"].post("/staff/hide/work/999", {"reason": REASON}).status_code == 404


def test_a_hidden_series_is_404_to_others_and_out_of_the_works_pages(alice, moderator, clients):
    work = make_work(author=alice, title="First", new_series_title="The Saga")
    series = Series.objects.get(title="The Saga")
    do_hide(moderator, series, REASON)
    for who in ("guest", "bob"):
        assert clients[who].get(f"/series/{series.pk}").status_code == 404, who
        assert "The Saga" not in clients[who].get(f"/works/{work.pk}").content.decode(), who
    for who in ("alice", "moderator"):
        page = clients[who].get(f"/series/{series.pk}")
        assert page.status_code == 200 and REASON in page.content.decode(), who
    do_unhide(moderator, series)
    assert clients["guest"].get(f"/series/{series.pk}").status_code == 200
    assert "The Saga" in clients["guest"].get(f"/works/{work.pk}").content.decode()


def test_a_hidden_chapter_leaves_readers_with_its_comments_and_the_work_stays(
    alice, bob, moderator, clients
):
    work = make_work(author=alice, title="Long", chapters=3)
    second = work.chapters.get(position=2)
    make_comment(work, user=bob, chapter=second, text="Second chapter remark")
    words_before = work.word_count
    do_hide(moderator, second, REASON)
    work.refresh_from_db()
    assert work.posted_chapter_count == 2
    assert work.word_count < words_before
    for who in ("guest", "bob"):
        assert clients[who].get(f"/works/{work.pk}/chapters/{second.pk}").status_code == 404
        full = clients[who].get(f"/works/{work.pk}?view_full_work=true").content.decode()
        assert "Part 2" not in full and "Second chapter remark" not in full, who
        assert clients[who].get(f"/works/{work.pk}").status_code in (200, 302)
    for who in ("alice", "moderator"):
        page = clients[who].get(f"/works/{work.pk}/chapters/{second.pk}")
        assert page.status_code == 200 and REASON in page.content.decode(), who
    do_unhide(moderator, second)
    work.refresh_from_db()
    assert work.posted_chapter_count == 3 and work.word_count == words_before
    assert clients["guest"].get(f"/works/{work.pk}/chapters/{second.pk}").status_code == 200


def test_a_hidden_comment_is_404_to_others_and_leaves_the_count(alice, bob, moderator, clients):
    work = make_work(author=alice)
    comment = make_comment(work, user=bob, text="Buy cheap watches")
    reply = make_comment(work, user=alice, parent=comment, text="Reply below spam")
    assert WorkStats.objects.get(work=work).comments_count == 2
    do_hide(moderator, comment, REASON)
    assert WorkStats.objects.get(work=work).comments_count == 1
    assert clients["guest"].get(f"/comments/{comment.pk}").status_code == 404
    page = clients["guest"].get(f"/works/{work.pk}").content.decode()
    assert "Buy cheap watches" not in page and "Reply below spam" not in page
    assert client_for(make_user("dave")).get(f"/comments/{comment.pk}").status_code == 404
    for who in ("bob", "moderator"):
        shown = clients[who].get(f"/comments/{comment.pk}")
        assert shown.status_code == 200 and REASON in shown.content.decode(), who
    assert clients["guest"].get(f"/comments/{reply.pk}").status_code == 200
    do_unhide(moderator, comment)
    assert WorkStats.objects.get(work=work).comments_count == 2
    assert "Buy cheap watches" in clients["guest"].get(f"/works/{work.pk}").content.decode()


def test_a_hidden_bookmark_leaves_listings_and_counts(alice, bob, moderator, clients):
    work = make_work(author=alice)
    bookmark = do_create_bookmark(
        work,
        owner=bob,
        data=BookmarkInput(pseud=bob.pseuds.get(), notes="Spammy note", tag_names=[]),
    )
    assert WorkStats.objects.get(work=work).bookmarks_count == 1
    do_hide(moderator, bookmark, REASON)
    assert WorkStats.objects.get(work=work).bookmarks_count == 0
    guest_page = clients["guest"].get(f"/works/{work.pk}/bookmarks").content.decode()
    assert "Spammy note" not in guest_page
    assert "Spammy note" not in clients["alice"].get("/users/bob/bookmarks").content.decode()
    own = clients["bob"].get("/users/bob/bookmarks").content.decode()
    assert "Spammy note" in own and REASON in own
    staff = clients["moderator"].get("/users/bob/bookmarks").content.decode()
    assert "Spammy note" in staff and "Unhide bookmark" in staff
    do_unhide(moderator, bookmark)
    assert WorkStats.objects.get(work=work).bookmarks_count == 1
    assert "Spammy note" in clients["guest"].get(f"/works/{work.pk}/bookmarks").content.decode()


def test_a_hidden_pseud_is_404_to_others_and_bylines_stop_linking_it(alice, moderator, clients):
    from quire.accounts.actions import do_create_pseud

    pseud = do_create_pseud(alice, "Nightingale", "")
    work = make_work(author=alice, pseuds=[pseud], title="Sung")
    url = "/users/alice/pseuds/Nightingale/works"
    do_hide(moderator, pseud, REASON)
    for who in ("guest", "bob"):
        assert clients[who].get(url).status_code == 404, who
        assert clients[who].get("/users/alice/pseuds/Nightingale").status_code == 404, who
        page = clients[who].get(f"/works/{work.pk}").content.decode()
        assert "Nightingale" in page and "/pseuds/Nightingale" not in page, who
        assert "Nightingale" not in clients[who].get("/users/alice/pseuds").content.decode()
    for who in ("alice", "moderator"):
        page = clients[who].get(url)
        assert page.status_code == 200 and REASON in page.content.decode(), who
    do_unhide(moderator, pseud)
    assert clients["guest"].get(url).status_code == 200
    assert "/pseuds/Nightingale" in clients["guest"].get(f"/works/{work.pk}").content.decode()


def test_staff_see_the_hide_controls_and_readers_do_not(alice, clients):
    work = make_work(author=alice)
    assert "Hide work" in clients["moderator"].get(f"/works/{work.pk}").content.decode()
    for who in ("guest", "bob", "alice"):
        assert "Hide work" not in clients[who].get(f"/works/{work.pk}").content.decode(), who


def test_the_work_page_budget_did_not_grow(alice, bob, clients, django_assert_max_num_queries):
    """The notice and the controls cost nothing on a work nobody hid, for readers."""
    from django.core.cache import cache

    from quire.works.tests.test_query_budgets import WORK_PAGE_BUDGET

    work = make_work(author=alice, chapters=3, new_series_title="Budgeted")
    for who in ("guest", "bob", "alice"):
        cache.clear()
        with django_assert_max_num_queries(WORK_PAGE_BUDGET, info=who):
            assert clients[who].get(f"/works/{work.pk}?view_full_work=true").status_code == 200


def test_a_hidden_chapter_leaves_the_download_and_a_hidden_work_has_none(
    alice, moderator, clients, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    work = make_work(author=alice, title="Tome", chapters=2)
    second = work.chapters.get(position=2)
    second.content = "<p>Unique second chapter words.</p>"
    second.save(update_fields=["content"])
    do_hide(moderator, second, REASON)
    download = clients["guest"].get(f"/downloads/{work.pk}/Tome.html")
    body = b"".join(download.streaming_content).decode()
    assert "Unique second chapter words" not in body and "Part 2" not in body
    do_hide(moderator, work, REASON)
    for who in ("guest", "alice", "moderator"):
        assert clients[who].get(f"/downloads/{work.pk}/Tome.html").status_code == 404, who
