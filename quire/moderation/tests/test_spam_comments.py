"""The staff comments page: find comments by user, work or guest address and delete them in
bulk, through the social app's delete (a comment with replies stays as a placeholder)."""

import pytest
from django.contrib.auth.models import Permission

from quire.conftest import client_for
from quire.moderation.models import ActivityEntry
from quire.social.models import Comment
from quire.testing import make_comment, make_user, make_work
from quire.works.models import WorkStats

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(db):
    user = make_user("moderator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="delete_spam_comments"))
    return client_for(user)


def test_comments_by_a_user_are_listed_and_deleted_in_bulk(alice, bob, moderator_client):
    work = make_work(author=alice)
    spam = [make_comment(work, user=bob, text=f"spam number {n}") for n in range(3)]
    kept = make_comment(work, user=alice, text="a real comment")
    reply = make_comment(work, user=alice, parent=spam[0], text="answer to spam")
    page = moderator_client.get("/staff/comments?user=bob").content.decode()
    assert "spam number 2" in page and "a real comment" not in page
    response = moderator_client.post(
        "/staff/comments?user=bob", {"comments": [c.pk for c in spam], "note": "spam"}
    )
    assert response.status_code == 302
    assert not Comment.objects.filter(pk__in=[spam[1].pk, spam[2].pk]).exists()
    placeholder = Comment.objects.get(pk=spam[0].pk)
    assert placeholder.deleted and placeholder.content == ""
    assert Comment.objects.filter(pk__in=[kept.pk, reply.pk]).count() == 2
    assert WorkStats.objects.get(work=work).comments_count == 2
    assert ActivityEntry.objects.filter(action="delete_comment").count() == 3


def test_comments_are_found_by_work_and_by_guest_address(alice, bob, moderator_client):
    work = make_work(author=alice, title="Target")
    other = make_work(author=alice, title="Elsewhere")
    make_comment(work, user=bob, text="on the target")
    make_comment(other, text="guest from afar", ip="203.0.113.9")
    by_work = moderator_client.get(f"/staff/comments?work={work.pk}").content.decode()
    assert "on the target" in by_work and "guest from afar" not in by_work
    by_ip = moderator_client.get("/staff/comments?ip=203.0.113.9").content.decode()
    assert "guest from afar" in by_ip and "on the target" not in by_ip
    assert "must be a number" in moderator_client.get("/staff/comments?work=x").content.decode()
    assert "No user" in moderator_client.get("/staff/comments?user=nobody").content.decode()


def test_nothing_selected_deletes_nothing(alice, bob, moderator_client):
    work = make_work(author=alice)
    make_comment(work, user=bob)
    response = moderator_client.post("/staff/comments?user=bob", {})
    assert response.status_code == 200
    assert "Select the comments" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("who", ["guest", "bob", "alice"])
def test_the_page_is_staff_only(who, viewers, alice, bob):
    work = make_work(author=alice)
    comment = make_comment(work, user=bob)
    assert viewers[who].get("/staff/comments?user=bob").status_code == 404
    assert viewers[who].post("/staff/comments", {"comments": [comment.pk]}).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()
