"""The inbox (/users/:login/inbox): comments on my works and replies to my comments, one row
each, never my own, held comments only once approved; read/unread filters, marking, deleting,
replying inline, and the unread count in the site header."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.accounts.models import Mute
from quire.conftest import client_for
from quire.social.actions import do_approve_comment
from quire.social.models import Comment, InboxComment
from quire.social.queries import inbox_unread_count
from quire.testing import form_value, make_comment, make_user, make_work, parse, text_of
from quire.works.models import Work

pytestmark = pytest.mark.django_db

ITEMS = "//ol[contains(@class, 'comment index')]/li[starts-with(@id, 'inbox_comment_')]"


@pytest.fixture(autouse=True)
def _old_accounts(settings):
    settings.COMMENT_NEW_ACCOUNT_DAYS = 0


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Inbox Work")


def inbox_of(user) -> list[int]:
    return list(
        InboxComment.objects.filter(user=user).order_by("id").values_list("comment_id", flat=True)
    )


def item_ids(response) -> list[int]:
    return [int(li.get("id").rsplit("_", 1)[1]) for li in parse(response).xpath(ITEMS)]


def header_count(response) -> str:
    link = parse(response).get_element_by_id("inbox-link")
    return text_of(link)


# Delivery


def test_a_comment_on_my_work_reaches_my_inbox_and_not_the_commenters(work, alice, bob):
    comment = make_comment(work, user=bob)
    assert inbox_of(alice) == [comment.pk]
    assert inbox_of(bob) == []


def test_a_reply_reaches_the_comments_author_and_the_creator_once_each(work, alice, bob, carol):
    parent = make_comment(work, user=bob)
    answer = make_comment(work, user=carol, parent=parent)
    assert inbox_of(bob) == [answer.pk]
    assert inbox_of(alice) == [parent.pk, answer.pk]
    mine = make_comment(work, user=alice, parent=answer)
    assert inbox_of(carol) == [mine.pk]
    assert mine.pk not in inbox_of(alice)


def test_a_guests_comment_reaches_the_creator(work, alice):
    comment = make_comment(work)
    assert inbox_of(alice) == [comment.pk]


def test_a_held_comment_reaches_no_inbox_until_approved(work, alice, bob):
    Work.objects.filter(pk=work.pk).update(moderated_comments=True)
    work.refresh_from_db()
    comment = make_comment(work, user=bob)
    assert inbox_of(alice) == []
    do_approve_comment(comment, work)
    assert inbox_of(alice) == [comment.pk]


def test_a_muted_commenter_does_not_reach_the_muter(work, alice, bob):
    Mute.objects.create(muter=alice, muted=bob)
    make_comment(work, user=bob)
    assert inbox_of(alice) == []


# The page


def test_the_inbox_is_its_owners_alone(work, alice, bob, client):
    make_comment(work, user=bob)
    assert client_for(alice).get("/users/alice/inbox").status_code == 200
    assert client_for(bob).get("/users/alice/inbox").status_code == 404
    assert client_for(alice).get("/users/nobody/inbox").status_code == 404
    response = client.get("/users/alice/inbox")
    assert response.status_code == 302 and response["Location"].startswith("/users/login")


def test_the_inbox_lists_comments_newest_first_with_who_and_where(work, alice, bob):
    first = make_comment(work, user=bob, text="First!")
    second = make_comment(work, text="Second, as a guest.", guest_name="Lizzy")
    response = client_for(alice).get("/users/alice/inbox")
    items = {i.comment_id: i.pk for i in InboxComment.objects.all()}
    assert item_ids(response) == [items[second.pk], items[first.pk]]
    li = parse(response).get_element_by_id(f"inbox_comment_{items[first.pk]}")
    assert "bob commented on Inbox Work" in text_of(li.xpath("h4")[0])
    assert li.get("class") == "unread comment group"
    assert "First!" in text_of(li.xpath("blockquote")[0])
    assert li.xpath(f".//a[@href='/comments/{first.pk}']")
    oldest = client_for(alice).get("/users/alice/inbox?filters[date]=asc")
    assert item_ids(oldest) == [items[first.pk], items[second.pk]]


def test_mark_read_unread_filter_and_delete(work, alice, bob):
    one = make_comment(work, user=bob)
    two = make_comment(work, user=bob)
    item_one = InboxComment.objects.get(comment=one)
    item_two = InboxComment.objects.get(comment=two)
    client = client_for(alice)
    response = client.post(
        "/users/alice/inbox/update", {"inbox_comments[]": [item_one.pk], "read": "1"}
    )
    assert response.status_code == 302
    item_one.refresh_from_db()
    assert item_one.read
    assert item_ids(client.get("/users/alice/inbox?filters[read]=true")) == [item_one.pk]
    assert item_ids(client.get("/users/alice/inbox?filters[read]=false")) == [item_two.pk]
    client.post("/users/alice/inbox/update", {"inbox_comments[]": [item_one.pk], "unread": "1"})
    assert not InboxComment.objects.get(pk=item_one.pk).read
    client.post("/users/alice/inbox/update", {"inbox_comments[]": [item_two.pk], "delete": "1"})
    assert list(InboxComment.objects.values_list("pk", flat=True)) == [item_one.pk]
    assert Comment.objects.filter(pk=two.pk).exists()  # the comment itself stays


def test_nobody_changes_anothers_inbox(work, alice, bob):
    make_comment(work, user=bob)
    item = InboxComment.objects.get()
    client = client_for(bob)
    assert (
        client.post(
            "/users/alice/inbox/update", {"inbox_comments[]": [item.pk], "delete": "1"}
        ).status_code
        == 404
    )
    client.post("/users/bob/inbox/update", {"inbox_comments[]": [item.pk], "delete": "1"})
    assert InboxComment.objects.filter(pk=item.pk).exists()


def test_nothing_selected_says_so(work, alice):
    response = client_for(alice).post("/users/alice/inbox/update", {"read": "1"}, follow=True)
    assert "Please select something first." in response.content.decode()


def test_replying_inline_posts_the_reply_and_returns_to_the_inbox(work, alice, bob):
    comment = make_comment(work, user=bob)
    client = client_for(alice)
    doc = parse(client.get("/users/alice/inbox"))
    form = doc.xpath(f"//form[@action='/comments/{comment.pk}/new']")[0]
    assert form.xpath(".//input[@name='return_to']")[0].get("value") == "/users/alice/inbox"
    response = client.post(
        f"/comments/{comment.pk}/new",
        {"comment[comment_content]": "Thank you kindly.", "return_to": "/users/alice/inbox"},
    )
    assert response["Location"] == "/users/alice/inbox"
    answer = Comment.objects.get(parent=comment)
    assert answer.user == alice and inbox_of(bob) == [answer.pk]


def test_a_rejected_inline_reply_keeps_its_text_and_the_way_back(work, alice, bob):
    comment = make_comment(work, user=bob)
    text = "z" * 10_001
    response = client_for(alice).post(
        f"/comments/{comment.pk}/new",
        {"comment[comment_content]": text, "return_to": "/users/alice/inbox"},
    )
    doc = parse(response)
    assert form_value(doc, "comment[comment_content]") == text
    assert form_value(doc, "return_to") == "/users/alice/inbox"


def test_an_outside_return_to_is_ignored(work, alice, bob):
    comment = make_comment(work, user=bob)
    response = client_for(alice).post(
        f"/comments/{comment.pk}/new",
        {"comment[comment_content]": "Thanks!", "return_to": "https://elsewhere.example/"},
    )
    assert response["Location"].startswith(f"/works/{work.pk}")


# The header


def test_the_header_shows_the_unread_count(work, alice, bob):
    client = client_for(alice)
    assert header_count(client.get("/works")) == "Inbox"
    make_comment(work, user=bob)
    make_comment(work, user=bob)
    assert header_count(client.get("/works")) == "Inbox (2)"
    assert inbox_unread_count(alice) == 2
    InboxComment.objects.filter(user=alice).update(read=True)
    assert header_count(client.get("/works")) == "Inbox"


def test_the_unread_count_costs_one_query(alice, bob):
    work = make_work(author=alice)
    for _ in range(30):
        make_comment(work, user=bob)
    with CaptureQueriesContext(connection) as captured:
        assert inbox_unread_count(alice) == 30
    assert len(captured) == 1


def test_the_inbox_page_costs_the_same_for_3_and_30_items(alice, bob):
    work = make_work(author=alice)
    client = client_for(alice)

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/users/alice/inbox").status_code == 200
        return len(captured)

    for _ in range(3):
        make_comment(work, user=bob)
    few = queries()
    carol = make_user("carol")
    for number in range(27):
        make_comment(work, user=carol if number % 2 else bob)
    assert queries() == few <= 10
