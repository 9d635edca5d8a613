"""Subscription notices: who is told of what (recorded with the posting), and the batch that
mails each subscriber once and fills their inbox, exactly once, re-checking what they may
see at send time."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from quire.accounts.actions import do_update_preferences
from quire.social.actions import (
    do_mark_notices_read,
    do_subscribe,
    do_unsubscribe,
    schedule_notifications,
)
from quire.social.actions.notifications import CLAIM_LEASE, do_send_notifications
from quire.social.models import NoticeEvent, Subscription, SubscriptionNotice
from quire.social.queries import notice_page, unread_notice_count, visible_notices
from quire.testing import chapter_input, make_user, make_work, set_work_fields
from quire.works.actions import (
    do_add_chapter,
    do_post_chapter,
    do_post_work,
    do_set_hidden_by_admin,
    do_update_work,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Letters", chapters=1, expected_chapters=3)


def notices(user) -> list[tuple[str, int, int | None]]:
    return list(
        SubscriptionNotice.objects.filter(user=user)
        .order_by("id")
        .values_list("event", "work_id", "chapter_id")
    )


def post_chapter(work, title="Next"):
    return do_add_chapter(work, chapter_input("<p>More rain.</p>", title=title), post=True)


# What is recorded


def test_a_posted_chapter_tells_the_works_subscribers(work, bob, carol):
    do_subscribe(bob, work=work)
    do_subscribe(carol, work=work)
    chapter = post_chapter(work)
    assert notices(bob) == [(NoticeEvent.CHAPTER, work.pk, chapter.pk)]
    assert notices(carol) == [(NoticeEvent.CHAPTER, work.pk, chapter.pk)]


def test_a_draft_chapter_tells_nobody_until_it_is_posted(work, bob):
    do_subscribe(bob, work=work)
    draft = do_add_chapter(work, chapter_input("<p>Not yet.</p>"), post=False)
    assert notices(bob) == []
    draft.refresh_from_db()
    do_post_chapter(draft)
    assert notices(bob) == [(NoticeEvent.CHAPTER, work.pk, draft.pk)]


def test_a_new_work_tells_its_creators_subscribers(alice, bob):
    do_subscribe(bob, to_user=alice)
    work = make_work(author=alice)
    assert notices(bob) == [(NoticeEvent.WORK, work.pk, None)]


def test_every_creator_of_a_cocreated_work_counts(alice, bob, carol):
    dave = make_user("dave")
    do_subscribe(dave, to_user=bob)
    work = make_work(author=alice, pseuds=[alice.pseuds.get(), bob.pseuds.get()])
    assert notices(dave) == [(NoticeEvent.WORK, work.pk, None)]


def test_a_draft_work_tells_nobody_until_it_is_posted(alice, bob):
    do_subscribe(bob, to_user=alice)
    draft = make_work(author=alice, posted=False)
    assert notices(bob) == []
    do_post_work(draft)
    assert notices(bob) == [(NoticeEvent.WORK, draft.pk, None)]


def test_a_work_added_to_a_series_tells_the_series_subscribers(alice, bob):
    first = make_work(author=alice, new_series_title="Letters")
    series = first.series.get()
    do_subscribe(bob, series=series)
    second = make_work(author=alice, series=series)
    assert notices(bob) == [(NoticeEvent.SERIES, second.pk, None)]
    assert SubscriptionNotice.objects.get(user=bob).series_id == series.pk


def test_a_posted_work_moved_into_a_series_tells_its_subscribers(alice, bob):
    from quire.works.actions import WorkInput

    series = make_work(author=alice, new_series_title="Letters").series.get()
    do_subscribe(bob, series=series)
    loose = make_work(author=alice, title="Loose")
    assert notices(bob) == []
    loose_input = _work_input(loose)
    do_update_work(loose, WorkInput(**{**loose_input, "series": series}))
    assert notices(bob) == [(NoticeEvent.SERIES, loose.pk, None)]
    do_update_work(loose, WorkInput(**{**loose_input, "series": series}))  # already in it
    assert len(notices(bob)) == 1


def _work_input(work) -> dict:
    from quire.tags.models import Tag

    fixed = {tag.name: tag for tag in Tag.objects.filter(canonical=True)}
    return {
        "title": work.title,
        "pseuds": list(work.pseuds.all()),
        "rating": fixed["General Audiences"],
        "warnings": [fixed["No Archive Warnings Apply"]],
        "fandoms": ["Pride and Prejudice - Jane Austen"],
        "language": work.language,
    }


def test_one_notice_for_a_subscriber_of_both_the_creator_and_the_series(alice, bob):
    series = make_work(author=alice, new_series_title="Letters").series.get()
    do_subscribe(bob, to_user=alice)
    do_subscribe(bob, series=series)
    work = make_work(author=alice, series=series)
    assert notices(bob)[-1:] == [(NoticeEvent.WORK, work.pk, None)]
    assert SubscriptionNotice.objects.filter(user=bob, work=work).count() == 1


def test_an_anonymous_work_tells_its_creators_subscribers_nothing(alice, bob, work):
    do_subscribe(bob, to_user=alice)
    draft = make_work(author=alice, posted=False, new_series_title="Anon Series")
    set_work_fields(draft, anonymous=True)
    draft.refresh_from_db()
    do_post_work(draft)
    assert notices(bob) == []


def test_an_anonymous_work_still_tells_its_own_subscribers_of_chapters(alice, bob, work):
    do_subscribe(bob, work=work)
    set_work_fields(work, anonymous=True)
    work.refresh_from_db()
    post_chapter(work)
    assert len(notices(bob)) == 1


def test_an_unrevealed_or_hidden_work_tells_nobody(alice, bob, work):
    do_subscribe(bob, to_user=alice)
    do_subscribe(bob, work=work)
    draft = make_work(author=alice, posted=False)
    set_work_fields(draft, in_unrevealed_collection=True)
    draft.refresh_from_db()
    do_post_work(draft)
    do_set_hidden_by_admin(work, hidden=True)
    work.refresh_from_db()
    post_chapter(work)
    assert notices(bob) == []


def test_creators_are_never_told_of_their_own_work(alice, bob, work):
    do_subscribe(alice, to_user=bob)  # alice follows bob, and they write together
    make_work(author=bob, pseuds=[bob.pseuds.get(), alice.pseuds.get()])
    assert notices(alice) == []


def test_a_rolled_back_posting_leaves_no_notice(alice, bob, work, monkeypatch):
    from quire.works import actions

    do_subscribe(bob, work=work)
    recorded, real = [], actions.do_record_new_chapter

    def record_then_fail(chapter):
        recorded.append(real(chapter))
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(actions, "do_record_new_chapter", record_then_fail)
    with pytest.raises(RuntimeError):
        post_chapter(work)
    assert recorded == [1]
    assert notices(bob) == []


# Sending


def test_one_mail_carries_every_update_of_the_batch(alice, bob, work):
    do_subscribe(bob, work=work)
    do_subscribe(bob, to_user=alice)
    post_chapter(work, title="The Second")
    post_chapter(work, title="The Third")
    new = make_work(
        author=alice, title="Answers", summary="<p>A <em>short</em> reply &amp; more.</p>"
    )

    result = do_send_notifications()

    assert (result.subscribers, result.delivered, result.emails) == (1, 3, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    assert message.subject == "[Quire] alice posted Chapter 2: The Second of Letters and 2 more"
    assert "alice posted Chapter 3: The Third of Letters" in message.body
    assert "alice posted Answers" in message.body
    assert f"http://127.0.0.1:8000/works/{new.pk}" in message.body
    assert "Summary: A short reply & more." in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert isinstance(html, str)
    assert mimetype == "text/html"
    assert f'<a href="http://127.0.0.1:8000/works/{new.pk}">alice posted Answers</a>' in html
    assert "<em>short</em>" in html
    assert SubscriptionNotice.objects.filter(user=bob, delivered_at__isnull=True).count() == 0


def test_one_update_gets_ao3s_subject(alice, bob):
    do_subscribe(bob, to_user=alice)
    make_work(author=alice, title="Answers")
    do_send_notifications()
    assert [m.subject for m in mail.outbox] == ["[Quire] alice posted Answers"]


def test_a_series_update_names_the_series(alice, bob):
    series = make_work(author=alice, new_series_title="Letters").series.get()
    do_subscribe(bob, series=series)
    make_work(author=alice, title="Answers", series=series)
    do_send_notifications()
    assert mail.outbox[0].subject == "[Quire] alice posted Answers in the Letters series"


def test_each_subscriber_gets_their_own_mail(work, bob, carol):
    do_subscribe(bob, work=work)
    do_subscribe(carol, work=work)
    post_chapter(work)
    do_send_notifications()
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]


def test_nothing_is_sent_twice(work, bob):
    do_subscribe(bob, work=work)
    post_chapter(work)
    first = do_send_notifications()
    second = do_send_notifications()
    assert (first.emails, second.emails) == (1, 0)
    assert len(mail.outbox) == 1
    post_chapter(work)
    do_send_notifications()
    assert len(mail.outbox) == 2


def test_a_notice_claimed_by_another_running_batch_is_left_to_it(work, bob, carol):
    do_subscribe(bob, work=work)
    do_subscribe(carol, work=work)
    post_chapter(work)
    # Another batch, still running, has claimed bob's notices.
    SubscriptionNotice.objects.filter(user=bob).update(batch="other", claimed_at=timezone.now())
    result = do_send_notifications()
    assert result.emails == 1
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    assert SubscriptionNotice.objects.get(user=bob).delivered_at is None


def test_a_claim_abandoned_by_a_crashed_batch_is_taken_after_the_lease(work, bob):
    do_subscribe(bob, work=work)
    post_chapter(work)
    stale = timezone.now() - CLAIM_LEASE - timedelta(minutes=1)
    SubscriptionNotice.objects.filter(user=bob).update(batch="crashed", claimed_at=stale)
    assert do_send_notifications().emails == 1


def test_a_failed_mail_keeps_the_notices_for_the_next_batch(work, bob, carol, monkeypatch):
    from quire.social.actions import notifications

    do_subscribe(bob, work=work)
    do_subscribe(carol, work=work)
    post_chapter(work)
    real = notifications.notification_message

    def failing_for_bob(user, notices):
        if user.username == "bob":
            raise ConnectionRefusedError("no mail server")
        return real(user, notices)

    monkeypatch.setattr(notifications, "notification_message", failing_for_bob)
    result = do_send_notifications()
    assert result.failed == [SubscriptionNotice.objects.get(user__username="bob").user_id]
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    bobs = SubscriptionNotice.objects.get(user__username="bob")
    assert (bobs.batch, bobs.delivered_at) == ("", None)

    monkeypatch.setattr(notifications, "notification_message", real)
    assert do_send_notifications().emails == 1
    assert [m.to for m in mail.outbox][-1] == ["bob@example.org"]


def test_e_mail_off_still_fills_the_inbox(work, bob):
    do_update_preferences(bob, subscription_emails=False)
    do_subscribe(bob, work=work)
    post_chapter(work)
    result = do_send_notifications()
    assert (result.delivered, result.emails) == (1, 0)
    assert mail.outbox == []
    notice = SubscriptionNotice.objects.get(user=bob)
    assert notice.delivered_at is not None
    assert notice.emailed_at is None
    assert unread_notice_count(bob) == 1


def test_a_work_hidden_before_the_batch_is_never_mentioned(alice, bob, work):
    do_subscribe(bob, work=work)
    do_subscribe(bob, to_user=alice)
    post_chapter(work)
    other = make_work(author=alice, title="Still Here")
    do_set_hidden_by_admin(work, hidden=True)
    result = do_send_notifications()
    assert (result.delivered, result.dropped) == (1, 1)
    assert "Letters" not in f"{mail.outbox[0].subject} {mail.outbox[0].body}"
    assert mail.outbox[0].subject == "[Quire] alice posted Still Here"
    assert list(SubscriptionNotice.objects.values_list("work_id", flat=True)) == [other.pk]


def test_visibility_is_checked_for_each_subscriber_at_send_time(alice, bob, work):
    """The batch asks visible_works(subscriber) itself: a work that becomes unlisted for
    registered readers after the posting is not sent."""
    do_subscribe(bob, work=work)
    post_chapter(work)
    set_work_fields(work, in_unrevealed_collection=True)
    assert do_send_notifications().dropped == 1
    assert mail.outbox == []


def test_a_work_made_anonymous_before_the_batch_does_not_reach_its_creators_subscribers(alice, bob):
    do_subscribe(bob, to_user=alice)
    work = make_work(author=alice)
    set_work_fields(work, anonymous=True)
    assert do_send_notifications().dropped == 1
    assert mail.outbox == []


def test_unsubscribing_before_the_batch_drops_what_was_waiting(alice, bob, work):
    subscription, _ = do_subscribe(bob, work=work)
    do_subscribe(bob, to_user=alice)
    post_chapter(work)
    make_work(author=alice, title="Answers")
    do_unsubscribe(subscription)
    Subscription.objects.filter(user=bob, target_user=alice).delete()
    assert do_send_notifications().dropped == 2
    assert mail.outbox == []
    assert not SubscriptionNotice.objects.exists()


def test_a_new_work_still_reaches_a_series_subscriber_who_left_the_creator(alice, bob):
    series = make_work(author=alice, new_series_title="Letters").series.get()
    do_subscribe(bob, to_user=alice)
    do_subscribe(bob, series=series)
    make_work(author=alice, title="Answers", series=series)
    Subscription.objects.filter(user=bob, target_user=alice).delete()
    do_send_notifications()
    assert mail.outbox[0].subject == "[Quire] alice posted Answers in the Letters series"


def test_restricted_works_reach_their_registered_subscribers(alice, bob):
    do_subscribe(bob, to_user=alice)
    make_work(author=alice, title="Members Only", restricted=True)
    do_send_notifications()
    assert mail.outbox[0].subject == "[Quire] alice posted Members Only"


def test_a_subscriber_without_an_address_gets_the_inbox_only(work, bob):
    bob.email = ""
    bob.save(update_fields=["email"])
    do_subscribe(bob, work=work)
    post_chapter(work)
    assert do_send_notifications().delivered == 1
    assert mail.outbox == []


def test_the_command_sends_and_reports(work, bob, capsys):
    do_subscribe(bob, work=work)
    post_chapter(work)
    call_command("send_notifications")
    assert (
        "Delivered 1 notices to 1 subscribers in 1 e-mails; dropped 0." in capsys.readouterr().out
    )
    assert len(mail.outbox) == 1


def test_a_posting_queues_one_batch_per_interval(
    work, bob, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SECONDS = 3600
    do_subscribe(bob, work=work)
    # The immediate backend (tests) runs the queued task at once: the mail is the proof.
    with django_capture_on_commit_callbacks(execute=True):
        post_chapter(work)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        post_chapter(work)
    assert len(mail.outbox) == 1  # queued already this interval: waits for that batch
    assert SubscriptionNotice.objects.filter(delivered_at__isnull=True).count() == 1


def test_no_batch_is_queued_when_the_interval_is_zero(work, bob, settings):
    settings.NOTIFICATIONS_SECONDS = 0
    schedule_notifications()
    assert mail.outbox == []


# The inbox's side


def test_the_inbox_lists_delivered_notices_with_headlines(alice, bob, work):
    do_subscribe(bob, work=work)
    chapter = post_chapter(work, title="The Second")
    assert unread_notice_count(bob) == 0  # not delivered yet
    do_send_notifications()
    assert unread_notice_count(bob) == 1
    page = notice_page(bob, visible_notices(bob), 1)
    [row] = page.object_list
    assert row.headline == "alice posted Chapter 2: The Second of Letters"
    assert row.url == f"/works/{work.pk}/chapters/{chapter.pk}"
    do_mark_notices_read(bob)
    assert unread_notice_count(bob) == 0
    do_set_hidden_by_admin(work, hidden=True)
    assert list(visible_notices(bob)) == []


def test_the_inbox_costs_the_same_for_few_and_many_notices(
    alice, bob, django_assert_max_num_queries
):
    do_subscribe(bob, to_user=alice)

    def count(n):
        for i in range(n):
            make_work(author=alice, title=f"Work {i}")
        do_send_notifications()
        with django_assert_max_num_queries(10) as captured:
            page = notice_page(bob, visible_notices(bob), 1)
            [row.headline for row in page.object_list]
        return len(captured.captured_queries)

    assert count(2) == count(30)


def test_the_preferences_form_offers_subscription_mail_on_by_default(work, bob, bob_client):
    from quire.accounts.models import Preference
    from quire.testing import form_value, parse

    assert form_value(parse(bob_client.get("/users/bob/preferences")), "subscription_emails") != []
    bob_client.post("/users/bob/preferences", {"history_enabled": "on"})
    assert Preference.objects.get(user=bob).subscription_emails is False
    assert form_value(parse(bob_client.get("/users/bob/preferences")), "subscription_emails") == []
    do_subscribe(bob, work=work)
    post_chapter(work)
    assert (do_send_notifications().delivered, len(mail.outbox)) == (1, 0)
    bob_client.post("/users/bob/preferences", {"subscription_emails": "on"})
    post_chapter(work)
    assert do_send_notifications().emails == 1


def test_the_batch_costs_the_same_per_subscriber_however_many_updates(alice, bob, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_subscribe(bob, to_user=alice)
    do_subscribe(carol, to_user=alice)

    def cost(subscriber, updates):
        others = [user for user in (bob, carol) if user != subscriber]
        for n in range(updates):
            make_work(author=alice, title=f"Work {n}")
        # Only `subscriber`'s notices are pending.
        SubscriptionNotice.objects.filter(user__in=others).delete()
        with CaptureQueriesContext(connection) as captured:
            assert do_send_notifications().delivered == updates
        return len(captured)

    assert cost(bob, 2) == cost(carol, 20)


def test_a_claim_undone_by_a_deadlock_is_tried_again(work, bob, monkeypatch):
    from django.db import OperationalError
    from django.db.models import QuerySet

    do_subscribe(bob, work=work)
    post_chapter(work)
    real = QuerySet.update
    failures: list[str] = []

    def update(self, **values):
        if values.get("batch") and not failures:
            failures.append(values["batch"])
            raise OperationalError("deadlock detected")
        return real(self, **values)

    monkeypatch.setattr(QuerySet, "update", update)
    assert do_send_notifications().emails == 1
    assert len(failures) == 1
    assert len(mail.outbox) == 1


def test_a_muted_creators_updates_are_dropped_and_leave_the_inbox(alice, bob, carol, work):
    from quire.accounts.actions import do_mute_user, do_unmute_user

    do_subscribe(bob, work=work)
    do_subscribe(bob, to_user=carol)
    post_chapter(work)
    carols = make_work(author=carol, title="Carol's")
    do_mute_user(bob, alice)
    result = do_send_notifications()
    assert (result.delivered, result.dropped) == (1, 1)
    assert mail.outbox[0].subject == "[Quire] carol posted Carol's"

    post_chapter(work)
    do_unmute_user(bob, alice)
    do_send_notifications()
    assert unread_notice_count(bob) == 2
    do_mute_user(bob, alice)
    assert unread_notice_count(bob) == 1
    assert [row.work_id for row in visible_notices(bob)] == [carols.pk]


def test_muting_never_matches_an_anonymous_work(alice, bob, work):
    from quire.accounts.actions import do_mute_user

    do_subscribe(bob, work=work)
    set_work_fields(work, anonymous=True)
    work.refresh_from_db()
    do_mute_user(bob, alice)
    post_chapter(work)
    assert do_send_notifications().delivered == 1
