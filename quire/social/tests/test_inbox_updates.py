"""Subscription updates in the inbox (/users/:login/inbox): listed with comments by arrival,
counted in the header's unread count, marked read or unread and deleted with the inbox's
buttons; its owner's alone, and never of a work they can no longer see."""

import pytest

from quire.social.actions import CommentInput, do_create_comment, do_subscribe
from quire.social.actions.notifications import do_send_notifications
from quire.social.models import SubscriptionNotice
from quire.social.queries import inbox_unread_count
from quire.testing import chapter_input, make_work, parse, text_of
from quire.works.actions import do_add_chapter, do_set_hidden_by_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Letters", expected_chapters=3)


def post_chapter(work, title="Next"):
    return do_add_chapter(work, chapter_input("<p>More rain.</p>", title=title), post=True)


def comment_on(work, by, text="Lovely."):
    chapter = work.chapters.get(position=1)
    return do_create_comment(
        work, chapter, user=by, data=CommentInput(content=text, pseud=by.pseuds.get())
    )


def items(response) -> list[str]:
    return [
        li.get("id").rsplit("_", 1)[0]
        for li in parse(response).xpath("//ol[contains(@class,'comment index')]/li[@id]")
    ]


def headlines(response) -> list[str]:
    return [
        text_of(h)
        for h in parse(response).xpath(
            "//li[starts-with(@id,'inbox_update_')]/h4[@class='heading']"
        )
    ]


def test_delivered_updates_are_listed_with_comments_newest_first(alice, bob, bob_client, work):
    do_subscribe(bob, work=work)
    bobs = make_work(author=bob, title="Bob's Own")
    comment_on(bobs, alice)  # a comment arrives first
    chapter = post_chapter(work, title="The Second")
    assert items(bob_client.get("/users/bob/inbox")) == ["inbox_comment"]  # not sent yet
    do_send_notifications()

    response = bob_client.get("/users/bob/inbox")
    assert items(response) == ["inbox_update", "inbox_comment"]
    [headline] = headlines(response)
    assert headline.startswith("New chapter: alice posted Chapter 2: The Second of Letters")
    assert headline.endswith("(Unread)")
    link = parse(response).xpath("//li[starts-with(@id,'inbox_update_')]//h4/a/@href")
    assert link == [f"/works/{work.pk}/chapters/{chapter.pk}"]
    oldest = bob_client.get("/users/bob/inbox?filters[date]=asc")
    assert items(oldest) == ["inbox_comment", "inbox_update"]


def test_the_header_counts_unread_updates_too(alice, bob, bob_client, work):
    do_subscribe(bob, work=work)
    comment_on(make_work(author=bob, title="Bob's Own"), alice)
    post_chapter(work)
    do_send_notifications()
    assert inbox_unread_count(bob) == 2
    header = parse(bob_client.get("/users/bob/inbox")).xpath("//a[@id='inbox-link']")[0]
    assert text_of(header) == "Inbox (2)"


def test_updates_are_marked_read_and_unread_and_deleted_with_the_inbox_buttons(
    bob, bob_client, work
):
    do_subscribe(bob, work=work)
    post_chapter(work)
    do_send_notifications()
    notice = SubscriptionNotice.objects.get(user=bob)
    form = {"inbox_updates[]": [str(notice.pk)]}

    bob_client.post("/users/bob/inbox/update", {**form, "read": "1"})
    notice.refresh_from_db()
    assert notice.read
    assert inbox_unread_count(bob) == 0
    assert items(bob_client.get("/users/bob/inbox?filters[read]=false")) == []
    assert items(bob_client.get("/users/bob/inbox?filters[read]=true")) == ["inbox_update"]

    bob_client.post("/users/bob/inbox/update", {**form, "unread": "1"})
    notice.refresh_from_db()
    assert not notice.read

    bob_client.post("/users/bob/inbox/update", {**form, "delete": "1"})
    assert not SubscriptionNotice.objects.filter(pk=notice.pk).exists()


def test_nobody_marks_or_deletes_someone_elses_updates(bob, carol, work):
    from quire.conftest import client_for

    do_subscribe(bob, work=work)
    post_chapter(work)
    do_send_notifications()
    notice = SubscriptionNotice.objects.get(user=bob)
    carol_client = client_for(carol)
    form = {"inbox_updates[]": [str(notice.pk)]}
    carol_client.post("/users/carol/inbox/update", {**form, "read": "1"})
    carol_client.post("/users/carol/inbox/update", {**form, "delete": "1"})
    assert carol_client.get("/users/bob/inbox").status_code == 404
    notice.refresh_from_db()
    assert not notice.read


def test_updates_of_a_work_hidden_since_drop_out(bob, bob_client, work):
    do_subscribe(bob, work=work)
    post_chapter(work)
    do_send_notifications()
    do_set_hidden_by_admin(work, hidden=True)
    assert items(bob_client.get("/users/bob/inbox")) == []
    assert inbox_unread_count(bob) == 0


def _inbox_queries(django_assert_max_num_queries, client) -> int:
    with django_assert_max_num_queries(30) as captured:
        response = client.get("/users/bob/inbox")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_inbox_costs_the_same_for_few_and_many_updates(
    alice, bob, bob_client, django_assert_max_num_queries
):
    do_subscribe(bob, to_user=alice)
    bobs = make_work(author=bob, title="Bob's Own")

    def add(count):
        # Updates and comments arrive in turn, so every page holds both kinds.
        for n in range(count):
            make_work(author=alice, title=f"Work {n}")
            do_send_notifications()
            comment_on(bobs, alice, text=f"Comment {n}.")

    add(2)
    few = _inbox_queries(django_assert_max_num_queries, bob_client)
    add(20)
    many = _inbox_queries(django_assert_max_num_queries, bob_client)
    assert many == few
