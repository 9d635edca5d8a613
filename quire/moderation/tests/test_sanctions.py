from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from quire.conftest import client_for
from quire.moderation.actions import SanctionError, do_end_past_suspensions, do_sanction_user
from quire.moderation.models import Sanction
from quire.moderation.permissions import participation_refusal
from quire.moderation.queries import log_about
from quire.social.actions import BookmarkInput, do_create_bookmark
from quire.social.models import Bookmark, Comment, Kudo
from quire.testing import make_work, parse, text_of, work_form_data
from quire.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.now() + timedelta(days=1)


def suspend(user, by=None, reason="Spam links in comments"):
    return do_sanction_user(user, "suspension", reason=reason, by=by, until=tomorrow())


def test_a_suspension_is_recorded_logged_and_mailed(alice, policy):
    sanction = suspend(alice, by=policy)
    alice.refresh_from_db()
    assert alice.suspended_until == sanction.until
    assert [entry.action for entry in log_about(alice)] == ["user_suspend"]
    assert len(mail.outbox) == 1
    assert "Spam links in comments" in mail.outbox[0].body
    assert mail.outbox[0].to == ["alice@example.org"]


def test_a_note_is_not_told_to_the_user(alice, policy):
    do_sanction_user(alice, "note", reason="Watch this one", by=policy)
    assert mail.outbox == []
    assert participation_refusal(alice) is None


def test_a_suspension_needs_a_future_date(alice, policy):
    with pytest.raises(SanctionError):
        do_sanction_user(alice, "suspension", reason="x", by=policy, until=None)
    with pytest.raises(SanctionError):
        do_sanction_user(alice, "suspension", reason="x", by=policy, until=timezone.now())
    assert not Sanction.objects.exists()


def test_a_suspension_lifts_itself_at_its_date(alice):
    suspend(alice)
    alice.refresh_from_db()
    assert "suspended until" in participation_refusal(alice)
    alice.suspended_until = timezone.now() - timedelta(seconds=1)
    assert participation_refusal(alice) is None


def test_a_ban_and_its_lifting(alice, policy):
    do_sanction_user(alice, "ban", reason="Harassment", by=policy)
    alice.refresh_from_db()
    assert "banned" in participation_refusal(alice)
    do_sanction_user(alice, "lift", reason="Appeal accepted", by=policy)
    alice.refresh_from_db()
    assert not alice.banned and alice.suspended_until is None
    assert participation_refusal(alice) is None
    assert [e.action for e in log_about(alice)] == ["user_lift", "user_ban"]


def test_the_cleanup_clears_past_suspensions_and_logs_their_end(alice, bob):
    suspend(alice)
    suspend(bob)
    alice.__class__.objects.filter(pk=alice.pk).update(
        suspended_until=timezone.now() - timedelta(minutes=1)
    )
    call_command("end_suspensions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.suspended_until is None
    assert bob.suspended_until is not None
    assert log_about(alice).first().action == "suspension_ended"
    assert do_end_past_suspensions() == 0


def test_the_suspended_user_sees_why_and_until_when_on_their_pages(alice):
    suspend(alice, reason="Spam links in comments")
    doc = parse(client_for(alice).get(f"/users/{alice.username}"))
    notice = text_of(doc.get_element_by_id("sanction-notice"))
    assert "Your account is suspended until" in notice
    assert "Spam links in comments" in notice


def test_others_never_see_the_notice(alice, bob, client):
    suspend(alice)
    for viewer in (client, client_for(bob)):
        assert b"sanction-notice" not in viewer.get(f"/users/{alice.username}").content


# Each action a suspended user is refused: a 403 page saying until when, or the form with
# the message; never a 500, and nothing written.


@pytest.fixture
def suspended(alice):
    suspend(alice)
    alice.refresh_from_db()
    return client_for(alice)


def assert_refused(response, words="suspended until"):
    assert response.status_code in (200, 403), response.status_code
    assert words in response.content.decode()


def test_a_suspended_user_cannot_post_a_work(alice, suspended):
    assert_refused(suspended.get("/works/new"))
    response = suspended.post("/works/new", work_form_data(alice, post_button="Post"))
    assert_refused(response)
    assert response.status_code == 403
    assert not Work.objects.exists()


def test_a_suspended_user_cannot_edit_or_post_a_draft(alice, suspended):
    work = make_work(author=alice, posted=False)
    assert suspended.get(f"/works/{work.pk}/edit").status_code == 403
    assert suspended.post(f"/works/{work.pk}/post").status_code == 403
    work.refresh_from_db()
    assert not work.posted


def test_a_suspended_user_cannot_add_or_edit_a_chapter(alice, suspended):
    work = make_work(author=alice)
    chapter = work.chapters.get()
    response = suspended.post(
        f"/works/{work.pk}/chapters/new", {"content": "More words here for the chapter."}
    )
    assert response.status_code == 403
    assert Chapter.objects.count() == 1
    assert suspended.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit").status_code == 403


def test_a_suspended_user_cannot_comment(bob, alice, suspended):
    work = make_work(author=bob)
    response = suspended.post(
        f"/works/{work.pk}/comments", {"comment[comment_content]": "Hello there!"}
    )
    assert_refused(response)
    assert not Comment.objects.exists()


def test_a_suspended_user_cannot_leave_kudos(bob, suspended):
    work = make_work(author=bob)
    response = suspended.post(f"/works/{work.pk}/kudos", follow=True)
    assert_refused(response)
    assert not Kudo.objects.exists()
    json = suspended.post(f"/works/{work.pk}/kudos", HTTP_ACCEPT="application/json")
    assert json.status_code == 422
    assert "suspended until" in json.json()["message"]


def test_a_suspended_user_cannot_bookmark(alice, bob, suspended):
    work = make_work(author=bob)
    response = suspended.post(f"/works/{work.pk}/bookmarks/new", {"pseud": ""})
    assert response.status_code == 403
    assert not Bookmark.objects.exists()


def test_a_suspended_user_cannot_edit_a_bookmark(alice, bob):
    work = make_work(author=bob)
    bookmark = do_create_bookmark(
        work, owner=alice, data=BookmarkInput(pseud=alice.pseuds.get(is_default=True))
    )
    suspend(alice)
    alice.refresh_from_db()
    assert client_for(alice).get(f"/bookmarks/{bookmark.pk}/edit").status_code == 403


def test_a_suspended_user_can_still_read(bob, suspended):
    work = make_work(author=bob)
    assert suspended.get(f"/works/{work.pk}").status_code == 200


def test_after_the_date_the_user_can_post_again(alice, suspended):
    alice.__class__.objects.filter(pk=alice.pk).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )
    response = suspended.post("/works/new", work_form_data(alice, post_button="Post"))
    assert response.status_code == 302
    assert Work.objects.filter(posted=True).count() == 1


def test_a_suspension_queues_its_tidying_for_its_date(alice, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sanction = suspend(alice)
    queued = DBTaskResult.objects.get(task_path__endswith="end_past_suspensions")
    assert queued.run_after >= sanction.until
