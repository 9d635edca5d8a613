"""Comments on news posts: posting and replying (accounts and guests), threads, closing
after NEWS_COMMENT_DAYS or when turned off, deleting, the spam trap and the rate limit."""

import pytest

from quire.accounts.actions import do_block_user, do_mute_user
from quire.conftest import client_for
from quire.lib.spam import started_token
from quire.moderation.models import ActivityEntry
from quire.news.models import NewsComment
from quire.pages.actions import do_update_site_settings
from quire.pages.queries import forget_site_settings
from quire.testing import make_user, parse

from .conftest import days_ago, make_post

pytestmark = pytest.mark.django_db


def comment_data(text: str, **guest) -> dict:
    data = {"comment[comment_content]": text}
    if guest:
        data |= {
            "comment[name]": guest.get("name", "Visitor"),
            "comment[email]": guest.get("email", "visitor@example.org"),
            "form_started": started_token(),
            "website": guest.get("website", ""),
        }
    return data


@pytest.fixture
def post(editor):
    return make_post(by=editor, title="Open thread")


def comment_ids(response) -> list[str]:
    doc = parse(response)
    return [li.get("id") for li in doc.xpath("//li[contains(@class, 'comment')][@id]")]


def test_a_reader_comments_and_another_replies(post, alice, bob):
    response = client_for(alice).post(
        f"/admin_posts/{post.pk}/comments", comment_data("Thanks <b>staff</b>!<script>x</script>")
    )
    comment = NewsComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin_posts/{post.pk}#comment_{comment.pk}"
    assert comment.content == "<p>Thanks <b>staff</b>!</p>"
    assert comment.pseud.user == alice

    reply = client_for(bob).post(
        f"/admin_posts/{post.pk}/comments/{comment.pk}/reply", comment_data("Agreed.")
    )
    assert reply.status_code == 302
    child = NewsComment.objects.get(parent=comment)
    assert (child.thread_id, child.depth) == (comment.pk, 1)

    page = client_for(bob).get(f"/admin_posts/{post.pk}")
    assert comment_ids(page) == [f"comment_{comment.pk}", f"comment_{child.pk}"]
    thread = client_for(bob).get(f"/admin_posts/{post.pk}/comments/{comment.pk}")
    assert "Agreed." in thread.content.decode()


def test_a_guest_comments_with_a_name_and_an_address(client, post):
    response = client.post(f"/admin_posts/{post.pk}/comments", comment_data("Hi!", name="Sam"))
    assert response.status_code == 302
    comment = NewsComment.objects.get()
    assert (comment.user, comment.guest_name, comment.guest_email) == (
        None,
        "Sam",
        "visitor@example.org",
    )
    assert comment.ip_hash
    form = client.get(f"/admin_posts/{post.pk}").content.decode()
    assert 'name="form_started"' in form
    assert 'name="website"' in form
    page = client.get(f"/admin_posts/{post.pk}").content.decode()
    assert "Sam (Guest)" in page
    assert "visitor@example.org" not in page


def test_the_spam_trap_refuses_a_filled_honeypot_and_keeps_the_text(client, post):
    response = client.post(
        f"/admin_posts/{post.pk}/comments", comment_data("Buy now", website="http://spam")
    )
    assert response.status_code == 200
    assert "Buy now" in response.content.decode()
    assert "Leave this empty" in response.content.decode()
    assert not NewsComment.objects.exists()


def test_a_guest_form_sent_too_soon_is_refused(client, post, settings):
    settings.SPAM_MIN_FORM_SECONDS = 60
    response = client.post(f"/admin_posts/{post.pk}/comments", comment_data("Quick", name="Q"))
    assert response.status_code == 200
    assert "That was quick" in response.content.decode()
    assert not NewsComment.objects.exists()


def test_guests_may_not_comment_when_the_site_says_so(client, post):
    do_update_site_settings(guest_comments=False)
    forget_site_settings()
    response = client.post(f"/admin_posts/{post.pk}/comments", comment_data("Hi", name="G"))
    assert response.status_code == 200
    assert "only registered users" in response.content.decode()
    assert not NewsComment.objects.exists()


def test_comments_close_after_the_set_number_of_days(editor, alice, settings):
    settings.NEWS_COMMENT_DAYS = 14
    old = make_post(by=editor, title="Old news", published_at=days_ago(15))
    recent = make_post(by=editor, title="Recent news", published_at=days_ago(13))
    reader = client_for(alice)
    page = reader.get(f"/admin_posts/{old.pk}").content.decode()
    assert "Comments are closed" in page
    assert "comment[comment_content]" not in page
    refused = reader.post(f"/admin_posts/{old.pk}/comments", comment_data("Late"))
    assert "Comments are closed" in refused.content.decode()
    assert "Late" in refused.content.decode()  # the text is kept
    assert not NewsComment.objects.filter(post=old).exists()
    assert (
        reader.post(f"/admin_posts/{recent.pk}/comments", comment_data("On time")).status_code
        == 302
    )

    settings.NEWS_COMMENT_DAYS = 0  # never close
    assert reader.post(f"/admin_posts/{old.pk}/comments", comment_data("Now")).status_code == 302


def test_replies_close_with_the_post(editor, alice, bob, settings):
    post = make_post(by=editor, published_at=days_ago(1))
    client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("First"))
    comment = NewsComment.objects.get()
    post.published_at = days_ago(20)
    post.save(update_fields=["published_at"])
    response = client_for(bob).post(
        f"/admin_posts/{post.pk}/comments/{comment.pk}/reply", comment_data("Too late")
    )
    assert "Comments are closed" in response.content.decode()
    assert NewsComment.objects.count() == 1
    page = client_for(bob).get(f"/admin_posts/{post.pk}").content.decode()
    assert "/reply" not in page


def test_comments_turned_off_are_closed(editor, alice):
    post = make_post(by=editor, comments_allowed=False)
    reader = client_for(alice)
    assert "Comments are closed" in reader.get(f"/admin_posts/{post.pk}").content.decode()
    reader.post(f"/admin_posts/{post.pk}/comments", comment_data("Hello?"))
    assert not NewsComment.objects.exists()


def test_a_suspended_reader_cannot_comment(post, alice):
    from datetime import timedelta

    from django.utils import timezone

    alice.suspended_until = timezone.now() + timedelta(days=3)
    alice.save(update_fields=["suspended_until"])
    response = client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("Hi"))
    assert "suspended until" in response.content.decode()
    assert not NewsComment.objects.exists()


def test_no_one_comments_on_a_draft(editor, alice, client):
    draft = make_post(by=editor, published=False)
    assert (
        client_for(alice).post(f"/admin_posts/{draft.pk}/comments", comment_data("x")).status_code
        == 404
    )
    assert (
        client.post(f"/admin_posts/{draft.pk}/comments", comment_data("x", name="G")).status_code
        == 404
    )
    assert not NewsComment.objects.exists()


def test_an_empty_comment_is_refused(post, alice):
    response = client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("  "))
    assert response.status_code == 200
    assert "we need your comment" in response.content.decode()


def test_a_blocked_reader_cannot_reply_to_the_blocker(post, alice, carol):
    client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("Mine"))
    do_block_user(alice, carol)
    comment = NewsComment.objects.get()
    response = client_for(carol).post(
        f"/admin_posts/{post.pk}/comments/{comment.pk}/reply", comment_data("Hey")
    )
    assert "blocked" in response.content.decode()
    assert NewsComment.objects.count() == 1


def test_a_muted_commenter_is_hidden_from_the_muter_only(post, alice, bob, carol):
    client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("Alice speaks"))
    do_mute_user(bob, alice)
    path = f"/admin_posts/{post.pk}"
    assert "Alice speaks" not in client_for(bob).get(path).content.decode()
    assert "Alice speaks" in client_for(carol).get(path).content.decode()


def test_the_rate_limit_stops_new_accounts_and_keeps_the_text(post, settings):
    settings.COMMENT_RATE_LIMIT = 2
    newcomer = client_for(make_user("newcomer"))
    for number in range(2):
        response = newcomer.post(f"/admin_posts/{post.pk}/comments", comment_data(f"C{number}"))
        assert response.status_code == 302
    refused = newcomer.post(f"/admin_posts/{post.pk}/comments", comment_data("One too many"))
    assert refused.status_code == 200
    assert "at most 2 comments" in refused.content.decode()
    assert "One too many" in refused.content.decode()
    assert NewsComment.objects.count() == 2


def test_authors_delete_their_comments_and_a_placeholder_keeps_the_thread(post, alice, bob):
    client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("Top"))
    top = NewsComment.objects.get()
    client_for(bob).post(f"/admin_posts/{post.pk}/comments/{top.pk}/reply", comment_data("Re"))
    reply = NewsComment.objects.get(parent=top)
    delete = f"/admin_posts/{post.pk}/comments/{top.pk}/delete"
    assert client_for(bob).post(delete).status_code == 404
    assert client_for(alice).get(delete).status_code == 200
    assert client_for(alice).post(delete).status_code == 302
    top.refresh_from_db()
    assert top.deleted
    assert top.content == ""
    assert (
        "(Previous comment deleted.)"
        in client_for(bob).get(f"/admin_posts/{post.pk}").content.decode()
    )
    client_for(bob).post(f"/admin_posts/{post.pk}/comments/{reply.pk}/delete")
    assert not NewsComment.objects.exists()  # the placeholder went with its last reply
    assert not ActivityEntry.objects.filter(action="news.delete_comment").exists()


def test_news_staff_delete_any_comment_and_it_is_logged(post, alice, editor):
    client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("Rude"))
    comment = NewsComment.objects.get()
    response = client_for(editor).post(f"/admin_posts/{post.pk}/comments/{comment.pk}/delete")
    assert response.status_code == 302
    assert not NewsComment.objects.exists()
    entry = ActivityEntry.objects.get(action="news.delete_comment")
    assert (entry.actor, entry.subject) == (editor, alice)


def test_a_comment_is_reached_only_through_its_own_post(post, editor, alice):
    other = make_post(by=editor, title="Other")
    client_for(alice).post(f"/admin_posts/{post.pk}/comments", comment_data("Here"))
    comment = NewsComment.objects.get()
    assert (
        client_for(alice).get(f"/admin_posts/{other.pk}/comments/{comment.pk}").status_code == 404
    )
    assert (
        client_for(alice)
        .get(f"/admin_posts/{post.pk}/comments/99999999999999999999999")
        .status_code
        == 404
    )


def test_a_reply_too_deep_for_the_post_page_lands_on_its_threads_page(post, alice, bob, settings):
    from quire.social.queries.comments import THREAD_DEPTH

    settings.COMMENT_RATE_LIMIT = 100  # alice's account is new

    reader = client_for(alice)
    reader.post(f"/admin_posts/{post.pk}/comments", comment_data("Level 0"))
    parent = NewsComment.objects.get()
    for level in range(1, THREAD_DEPTH + 1):
        response = reader.post(
            f"/admin_posts/{post.pk}/comments/{parent.pk}/reply", comment_data(f"Level {level}")
        )
        parent = NewsComment.objects.get(depth=level)
    assert response["Location"] == (
        f"/admin_posts/{post.pk}/comments/{parent.parent_id}#comment_{parent.pk}"
    )
    page = client_for(bob).get(f"/admin_posts/{post.pk}").content.decode()
    assert "Continue this thread" in page
    assert f"Level {THREAD_DEPTH}" not in page
    thread = client_for(bob).get(response["Location"].split("#")[0]).content.decode()
    assert f"Level {THREAD_DEPTH}" in thread


def test_the_comment_form_has_a_page_of_its_own(post, client, alice):
    assert 'name="comment[name]"' in client.get(f"/admin_posts/{post.pk}/comments").content.decode()
    page = client_for(alice).get(f"/admin_posts/{post.pk}/comments").content.decode()
    assert 'name="comment[comment_content]"' in page
    assert 'name="comment[name]"' not in page


def test_an_expired_session_brings_the_comment_back_with_a_fresh_token(post, alice):
    from django.test import Client

    reader = Client(enforce_csrf_checks=True)
    reader.force_login(alice)
    path = f"/admin_posts/{post.pk}/comments"
    response = reader.post(path, comment_data("Kept words"), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Kept words" in page
    assert "csrfmiddlewaretoken" in page
    elsewhere = reader.post(path, comment_data("Forged"), HTTP_ORIGIN="https://evil.example")
    assert elsewhere.status_code == 403
    assert "Forged" not in elsewhere.content.decode()
    assert not NewsComment.objects.exists()
