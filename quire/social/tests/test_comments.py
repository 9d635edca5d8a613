"""Comments (AO3.md §5-§7, §9): posting as a reader or a guest, the per-work permission,
blocks, moderation, editing until a reply, deleting (placeholders), freezing, threads nested
five deep, mutes, the rate limit for new accounts and guests, and every rejected comment shown
again with its text."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quire.accounts.models import Block, Mute
from quire.conftest import client_for
from quire.social.actions import CommentError, do_approve_comment, do_update_comment
from quire.social.models import Comment, InboxComment
from quire.testing import (
    form_value,
    make_comment,
    make_user,
    make_work,
    parse,
    past_spam_traps,
    row_counts,
    text_of,
)
from quire.works.models import CommentPermission, Work, WorkStats

pytestmark = pytest.mark.django_db

TEXT = "I read this twice on the train and liked it better the second time."
COMMENT_LI = "//li[contains(concat(' ', @class, ' '), ' comment ')][@id]"


@pytest.fixture(autouse=True)
def _old_accounts(settings):
    # The cast is created during the test, so every account is "new"; the rate limit has its
    # own tests below.
    settings.COMMENT_NEW_ACCOUNT_DAYS = 0


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Comments Welcome")


def count(work) -> int:
    return WorkStats.objects.get(work=work).comments_count


def post(client, work, text=TEXT, *, ip="10.0.0.1", **fields):
    data = {"comment[comment_content]": text, **past_spam_traps()}
    data.update({f"comment[{name}]": value for name, value in fields.items()})
    return client.post(f"/works/{work.pk}/comments", data, REMOTE_ADDR=ip)


def reply(client, comment, text=TEXT, *, ip="10.0.0.1", **fields):
    data = {"comment[comment_content]": text, **past_spam_traps()}
    data.update({f"comment[{name}]": value for name, value in fields.items()})
    return client.post(f"/comments/{comment.pk}/new", data, REMOTE_ADDR=ip)


def shown_text(response) -> str:
    doc = parse(response)
    return form_value(doc, "comment[comment_content]")


def flash_error(response) -> str:
    return text_of(parse(response).get_element_by_id("error"))


def comment_ids(response) -> list[int]:
    return [int(li.get("id").split("_")[1]) for li in parse(response).xpath(COMMENT_LI)]


# Posting


def test_a_reader_comments_and_is_sent_to_it(work, bob):
    client = client_for(bob)
    response = post(client, work)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}?show_comments=true#comment_{comment.pk}"
    page = client.get(response["Location"])
    assert "Comment created!" in page.content.decode()
    li = parse(page).get_element_by_id(f"comment_{comment.pk}")
    assert text_of(li.xpath("h4[@class='heading byline']")[0]).startswith("bob ")
    assert text_of(li.xpath("blockquote[@class='userstuff']")[0]) == TEXT
    assert count(work) == 1
    assert comment.user == bob and comment.pseud == bob.pseuds.get(is_default=True)


def test_the_comment_markup_is_ao3s(work, bob):
    first = make_comment(work, user=bob)
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    feedback = doc.get_element_by_id("feedback")
    assert feedback.xpath(".//div[@id='comments_placeholder']/ol[@class='thread']")
    li = doc.get_element_by_id(f"comment_{first.pk}")
    assert li.get("class") == "comment group" and li.get("role") == "article"
    actions = li.xpath("ul[@class='actions']")[0]
    assert actions.get("id") == f"navigation_for_comment_{first.pk}"
    assert [text_of(a) for a in actions.xpath(".//a|.//button")] == [
        "Thread",
        "Reply",
        "Edit",
        "Delete",
    ]


def test_comment_html_is_sanitized_to_ao3s_allowlist(work, bob):
    post(
        client_for(bob),
        work,
        '<em>Lovely</em> <script>alert(1)</script><a href="x" class="c">x</a>',
    )
    assert (
        Comment.objects.get().content == '<p><em>Lovely</em> <a href="x" rel="nofollow">x</a></p>'
    )


def test_a_guest_comments_with_a_name_and_email(work, client):
    response = post(client, work, name="Lizzy", email="lizzy@example.org")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.guest_name, comment.guest_email) == (
        None,
        "Lizzy",
        "lizzy@example.org",
    )
    assert "10.0.0.1" not in comment.ip_hash and comment.ip_hash
    byline = parse(client.get(f"/works/{work.pk}")).xpath(f"//li[@id='comment_{comment.pk}']/h4")
    assert text_of(byline[0]).startswith("Lizzy (Guest)")


def test_a_guest_without_name_or_email_gets_the_text_back(work, client):
    response = post(client, work)
    assert response.status_code == 200
    assert shown_text(response) == TEXT
    assert "Please enter your name." in response.content.decode()
    assert "Please enter your email address." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused(work, bob):
    response = post(client_for(bob), work, "   ")
    assert "we need your comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_refused_with_its_text_kept(work, bob):
    text = "word " * 2001  # 10,005 characters
    response = post(client_for(bob), work, text)
    assert response.status_code == 200
    assert "Comment must be less than 10,000 characters long (it is 10,005)." in (
        response.content.decode()
    )
    assert shown_text(response) == text
    assert not Comment.objects.exists() and count(work) == 0


def test_exactly_10000_characters_is_fine(work, bob):
    assert post(client_for(bob), work, "x" * 10_000).status_code == 302


def test_a_chaptered_works_comment_is_on_the_chapter_named(alice, bob):
    chaptered = make_work(author=alice, chapters=3)
    second = chaptered.chapters.get(position=2)
    client = client_for(bob)
    response = client.post(
        f"/works/{chaptered.pk}/comments",
        {"comment[comment_content]": TEXT, "chapter_id": second.pk},
    )
    comment = Comment.objects.get()
    assert comment.chapter == second
    assert response["Location"].startswith(f"/works/{chaptered.pk}/chapters/{second.pk}?")


def test_a_chapter_page_shows_its_own_comments_and_the_full_work_all(alice, bob):
    chaptered = make_work(author=alice, chapters=2)
    one, two = chaptered.chapters.order_by("position")
    on_one = make_comment(chaptered, user=bob, chapter=one)
    on_two = make_comment(chaptered, user=bob, chapter=two)
    client = client_for(bob)
    assert comment_ids(client.get(f"/works/{chaptered.pk}/chapters/{one.pk}")) == [on_one.pk]
    assert comment_ids(client.get(f"/works/{chaptered.pk}/chapters/{two.pk}")) == [on_two.pk]
    full = client.get(f"/works/{chaptered.pk}?view_full_work=true")
    assert comment_ids(full) == [on_one.pk, on_two.pk]
    parents = [text_of(span) for span in parse(full).xpath("//h4/span[@class='parent']")]
    assert parents == ["on Chapter 1", "on Chapter 2"]


# Who may comment (AO3.md §7)


@pytest.mark.parametrize("viewer", ["guest", "bob"])
def test_nobody_comments_on_a_work_that_allows_no_comments(alice, viewers, viewer):
    closed = make_work(author=alice)
    Work.objects.filter(pk=closed.pk).update(comment_permission=CommentPermission.NO_ONE)
    response = post(viewers[viewer], closed, name="G", email="g@example.org")
    assert "Sorry, this work doesn&#x27;t allow comments." in response.content.decode()
    assert shown_text(response) == TEXT
    assert not Comment.objects.exists()
    page = parse(viewers[viewer].get(f"/works/{closed.pk}"))
    assert not page.xpath("//form[contains(@class, 'new_comment')]")


def test_a_guest_cannot_comment_on_a_registered_only_work(alice, bob, client):
    members = make_work(author=alice)
    Work.objects.filter(pk=members.pk).update(comment_permission=CommentPermission.REGISTERED)
    response = post(client, members, name="G", email="g@example.org")
    assert "only allows comments from registered users" in response.content.decode()
    assert shown_text(response) == TEXT
    assert not Comment.objects.exists()
    assert not parse(client.get(f"/works/{members.pk}")).xpath("//form[@id]//textarea")
    assert post(client_for(bob), members).status_code == 302


def test_nobody_comments_on_a_draft(alice, bob, viewers):
    draft = make_work(author=alice, posted=False)
    assert post(viewers["bob"], draft).status_code == 404
    response = post(viewers["alice"], draft)
    assert "You can&#x27;t comment on a draft." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_guest_posting_on_a_restricted_work_is_sent_to_log_in(alice, client):
    restricted = make_work(author=alice, restricted=True)
    response = post(client, restricted, name="G", email="g@example.org")
    assert response.status_code == 302 and "/users/login?restricted=true" in response["Location"]
    assert not Comment.objects.exists()


def test_a_reader_blocked_by_the_creator_cannot_comment(work, alice, carol):
    Block.objects.create(blocker=alice, blocked=carol)
    client = client_for(carol)
    response = post(client, work)
    assert "blocked by one or more of this work&#x27;s creators" in response.content.decode()
    assert shown_text(response) == TEXT
    assert not Comment.objects.exists()
    page = parse(client.get(f"/works/{work.pk}"))
    assert "blocked" in text_of(page.get_element_by_id("add_comment_placeholder"))
    assert not page.xpath("//form[contains(@class, 'new_comment')]")


def test_a_reader_blocked_by_the_commenter_cannot_reply_to_them(work, bob, carol):
    comment = make_comment(work, user=bob)
    Block.objects.create(blocker=bob, blocked=carol)
    response = reply(client_for(carol), comment)
    assert "Sorry, you have been blocked by that user." in response.content.decode()
    assert shown_text(response) == TEXT
    assert Comment.objects.count() == 1
    # Others still may, and carol may still comment on the work itself.
    assert reply(client_for(make_user("dave")), comment).status_code == 302
    assert post(client_for(carol), work).status_code == 302


# Replies and threads


def test_a_reply_is_nested_under_its_comment(work, bob, carol):
    parent = make_comment(work, user=bob)
    response = reply(client_for(carol), parent)
    child = Comment.objects.get(parent=parent)
    assert (child.thread_id, child.depth) == (parent.pk, 1)
    assert response["Location"].endswith(f"#comment_{child.pk}")
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    nested = doc.xpath(
        f"//li[@id='comment_{parent.pk}']/following-sibling::li[1]/ol[@class='thread']"
        f"/li[@id='comment_{child.pk}']"
    )
    assert nested
    assert count(work) == 2


def test_the_reply_page_shows_the_comment_and_a_form(work, bob, carol):
    parent = make_comment(work, user=bob, text="First thoughts.")
    doc = parse(client_for(carol).get(f"/comments/{parent.pk}/new"))
    assert "First thoughts." in text_of(doc.get_element_by_id(f"comment_{parent.pk}"))
    assert doc.xpath(f"//form[@action='/comments/{parent.pk}/new']//textarea")


def test_threads_nest_five_deep_then_continue_on_their_own_page(work, bob, carol):
    chain = [make_comment(work, user=bob, text="Level 0.")]
    for level in range(1, 7):
        chain.append(
            make_comment(
                work, user=carol if level % 2 else bob, text=f"Level {level}.", parent=chain[-1]
            )
        )
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    shown = comment_ids_of(doc)
    assert shown == [c.pk for c in chain[:5]]
    link = doc.xpath("//li[@class='comment continue']/a")[0]
    assert link.get("href") == f"/comments/{chain[4].pk}"
    assert text_of(link) == "Continue this thread →"
    thread = parse(client_for(bob).get(link.get("href")))
    assert comment_ids_of(thread) == [c.pk for c in chain[4:7]]
    assert count(work) == 7


def comment_ids_of(doc) -> list[int]:
    return [int(li.get("id").split("_")[1]) for li in doc.xpath(COMMENT_LI)]


def test_a_deep_reply_is_sent_to_its_parents_thread_page(work, bob):
    chain = [make_comment(work, user=bob)]
    for _ in range(4):
        chain.append(make_comment(work, user=bob, parent=chain[-1]))
    response = reply(client_for(bob), chain[-1])
    deep = Comment.objects.get(parent=chain[-1])
    assert response["Location"] == f"/comments/{chain[-1].pk}#comment_{deep.pk}"


def test_comments_are_paginated_by_thread_twenty_a_page(work, bob):
    roots = [make_comment(work, user=bob, text=f"Comment {n}.") for n in range(23)]
    client = client_for(bob)
    first = client.get(f"/works/{work.pk}")
    assert comment_ids(first) == [c.pk for c in roots[:20]]
    second = client.get(f"/works/{work.pk}?show_comments=true&page=2")
    assert comment_ids(second) == [c.pk for c in roots[20:]]
    links = parse(second).xpath(
        "//div[@id='comments_placeholder']//ol[contains(@class, 'pagination')]//a/@href"
    )
    assert "?show_comments=true&page=1" in links
    # A new comment sends its writer to the page it is on.
    response = post(client, work)
    assert "page=2" in response["Location"]


# Editing


def test_the_author_edits_their_comment(work, bob):
    comment = make_comment(work, user=bob)
    client = client_for(bob)
    doc = parse(client.get(f"/comments/{comment.pk}/edit"))
    assert "What a lovely chapter" in form_value(doc, "comment[comment_content]")
    response = client.post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": "Changed my mind: wonderful."}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.content == "<p>Changed my mind: wonderful.</p>" and comment.edited_at
    assert "Last Edited" in client.get(f"/comments/{comment.pk}").content.decode()


@pytest.mark.parametrize(("viewer", "status"), [("guest", 302), ("alice", 404)])
def test_nobody_else_edits_a_comment(work, bob, viewers, viewer, status):
    comment = make_comment(work, user=bob)
    response = viewers[viewer].post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": "Mine now."}
    )
    assert response.status_code == status
    if status == 302:  # a guest is asked to log in first
        assert "/users/login" in response["Location"]
    assert "Mine now" not in Comment.objects.get().content


def test_a_comment_cannot_be_edited_once_replied_to(work, bob, carol):
    comment = make_comment(work, user=bob)
    make_comment(work, user=carol, parent=comment)
    client = client_for(bob)
    doc = parse(client.get(f"/works/{work.pk}"))
    assert not doc.xpath(f"//li[@id='comment_{comment.pk}']//li[@class='edit']")
    response = client.post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": "Too late."}, follow=True
    )
    assert "can&#x27;t be edited once someone has replied" in response.content.decode()
    assert "Too late" not in Comment.objects.get(pk=comment.pk).content
    with pytest.raises(CommentError):
        do_update_comment(comment, work, content="Too late.", by=bob)


def test_an_edit_that_is_too_long_keeps_the_text(work, bob):
    comment = make_comment(work, user=bob)
    text = "y" * 10_001
    response = client_for(bob).post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": text}
    )
    assert response.status_code == 200
    assert shown_text(response) == text
    assert "lovely chapter" in Comment.objects.get().content


# Moderation


@pytest.fixture
def moderated(alice):
    held = make_work(author=alice, title="Moderated")
    Work.objects.filter(pk=held.pk).update(moderated_comments=True)
    held.refresh_from_db()
    return held


def test_a_comment_on_a_moderated_work_waits_for_approval(moderated, alice, bob, client):
    reader = client_for(bob)
    response = post(reader, moderated)
    comment = Comment.objects.get()
    assert not comment.approved
    assert (
        "after the work creator has approved it"
        in reader.get(response["Location"]).content.decode()
    )
    assert count(moderated) == 0
    assert comment_ids(client.get(f"/works/{moderated.pk}")) == []
    assert not InboxComment.objects.exists()
    assert client.get(f"/comments/{comment.pk}").status_code == 404
    # The creator reviews it on its own page.
    creator = client_for(alice)
    doc = parse(creator.get(f"/works/{moderated.pk}/comments/unreviewed"))
    assert comment_ids_of(doc) == [comment.pk]
    assert doc.xpath("//button[@name='approve']") and doc.xpath("//button[@name='delete']")
    assert creator.post(f"/comments/{comment.pk}/approve").status_code == 302
    comment.refresh_from_db()
    assert comment.approved and count(moderated) == 1
    assert comment_ids(client.get(f"/works/{moderated.pk}")) == [comment.pk]
    assert InboxComment.objects.filter(user=alice, comment=comment).exists()


def test_the_creators_own_comments_are_not_held(moderated, alice):
    post(client_for(alice), moderated)
    assert Comment.objects.get().approved and count(moderated) == 1


@pytest.mark.parametrize(("viewer", "status"), [("guest", 302), ("bob", 404)])
def test_only_creators_see_and_approve_unreviewed_comments(moderated, bob, viewers, viewer, status):
    # A guest is asked to log in (the pages are for logged-in creators); anyone else finds
    # nothing there.
    comment = make_comment(moderated, user=bob)
    response = viewers[viewer].get(f"/works/{moderated.pk}/comments/unreviewed")
    assert response.status_code == status
    assert viewers[viewer].post(f"/comments/{comment.pk}/approve").status_code == status
    assert not Comment.objects.get().approved


def test_the_creator_deletes_an_unreviewed_comment(moderated, alice, bob):
    comment = make_comment(moderated, user=bob)
    response = client_for(alice).post(f"/comments/{comment.pk}/delete")
    assert response["Location"] == f"/works/{moderated.pk}/comments/unreviewed"
    assert not Comment.objects.exists() and count(moderated) == 0


def test_a_big_edit_sends_an_approved_comment_back_to_moderation(moderated, alice, bob):
    comment = make_comment(moderated, user=bob, text="Such a good chapter.")
    do_approve_comment(comment, moderated)
    assert count(moderated) == 1
    client = client_for(bob)
    # Ten characters or fewer changed: still approved.
    client.post(
        f"/comments/{comment.pk}/edit", {"comment[comment_content]": "Such a good chapter!!"}
    )
    comment.refresh_from_db()
    assert comment.approved and count(moderated) == 1
    client.post(
        f"/comments/{comment.pk}/edit",
        {"comment[comment_content]": "Such a good chapter!! And the ending, too."},
    )
    comment.refresh_from_db()
    assert not comment.approved and count(moderated) == 0
    assert comment_ids(Client().get(f"/works/{moderated.pk}")) == []
    client_for(alice).post(f"/comments/{comment.pk}/approve")
    assert count(moderated) == 1
    assert InboxComment.objects.filter(comment=comment).count() == 1


# Deleting


def test_the_author_deletes_a_comment_without_replies(work, bob):
    comment = make_comment(work, user=bob)
    client = client_for(bob)
    confirm = parse(client.get(f"/comments/{comment.pk}/delete"))
    assert confirm.xpath(f"//form[@action='/comments/{comment.pk}/delete']")
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 302
    assert not Comment.objects.exists() and count(work) == 0


def test_a_deleted_comment_with_replies_leaves_a_placeholder(work, alice, bob, carol):
    comment = make_comment(work, user=bob, text="Original words.")
    answer = make_comment(work, user=carol, parent=comment)
    client_for(bob).post(f"/comments/{comment.pk}/delete")
    comment.refresh_from_db()
    assert comment.deleted and comment.content == ""
    assert count(work) == 1
    doc = parse(Client().get(f"/works/{work.pk}"))
    placeholder = doc.get_element_by_id(f"comment_{comment.pk}")
    assert text_of(placeholder) == "(Previous comment deleted.)"
    assert "Original words" not in text_of(doc.get_element_by_id("comments_placeholder"))
    assert doc.get_element_by_id(f"comment_{answer.pk}") is not None
    # The last reply going takes the placeholder with it.
    client_for(carol).post(f"/comments/{answer.pk}/delete")
    assert not Comment.objects.exists() and count(work) == 0


def test_the_creator_deletes_any_comment_on_their_work(work, alice, bob):
    comment = make_comment(work, user=bob)
    assert client_for(alice).post(f"/comments/{comment.pk}/delete").status_code == 302
    assert not Comment.objects.exists()


@pytest.mark.parametrize("viewer", ["guest", "admin"])
def test_nobody_else_deletes_a_comment(work, bob, viewers, viewer):
    comment = make_comment(work, user=bob)
    assert viewers[viewer].post(f"/comments/{comment.pk}/delete").status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


# Freezing


def test_the_creator_freezes_and_unfreezes_a_thread(work, alice, bob, carol):
    comment = make_comment(work, user=bob)
    answer = make_comment(work, user=carol, parent=comment)
    creator = client_for(alice)
    assert creator.post(f"/comments/{comment.pk}/freeze").status_code == 302
    assert set(Comment.objects.values_list("frozen", flat=True)) == {True}
    response = reply(client_for(carol), answer)
    assert "this comment thread is frozen" in response.content.decode()
    assert shown_text(response) == TEXT
    doc = parse(client_for(carol).get(f"/works/{work.pk}"))
    assert not doc.xpath("//li[@class='reply']")
    assert (
        text_of(parse(creator.get(f"/works/{work.pk}")).xpath("//li[@class='freeze']//button")[0])
        == "Unfreeze"
    )
    creator.post(f"/comments/{comment.pk}/unfreeze")
    assert reply(client_for(carol), answer).status_code == 302


@pytest.mark.parametrize("viewer", ["guest", "bob"])
def test_only_creators_freeze(work, carol, viewers, viewer):
    comment = make_comment(work, user=carol)
    assert viewers[viewer].post(f"/comments/{comment.pk}/freeze").status_code == 404
    assert not Comment.objects.get().frozen


# Mute and visibility


def test_comments_by_muted_users_are_hidden_from_the_muter_only(work, alice, bob, carol):
    muted = make_comment(work, user=carol, text="Carol speaks.")
    answer = make_comment(work, user=bob, parent=muted)
    other = make_comment(work, user=bob, text="Bob speaks.")
    Mute.objects.create(muter=bob, muted=carol)
    assert comment_ids(client_for(bob).get(f"/works/{work.pk}")) == [other.pk]
    assert comment_ids(client_for(alice).get(f"/works/{work.pk}")) == [
        muted.pk,
        answer.pk,
        other.pk,
    ]
    assert "Carol speaks" not in client_for(bob).get(f"/comments/{muted.pk}").content.decode()


@pytest.mark.parametrize("kind", ["restricted", "draft", "hidden"])
def test_comments_of_works_a_guest_cannot_see_are_invisible_to_them(alice, bob, client, kind):
    hidden = make_work(author=alice, restricted=kind == "restricted")
    comment = make_comment(hidden, user=bob)
    if kind == "draft":
        Work.objects.filter(pk=hidden.pk).update(posted=False)
    if kind == "hidden":
        Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    # A restricted work sends a guest to log in (AO3's rule); a draft or a hidden work is
    # not there at all.
    for path in (f"/comments/{comment.pk}", f"/comments/{comment.pk}/new"):
        response = client.get(path)
        if kind == "restricted":
            assert response.status_code == 302
            assert "/users/login" in response["Location"]
        else:
            assert response.status_code == 404


# Rejections keep the text: session expired, rate limit


def test_a_comment_failing_the_csrf_check_comes_back_with_its_text(work, bob):
    # From a page of this site (the browser's Origin says so); a cross-site post gets an
    # empty form (test_comment_findings).
    client = Client(enforce_csrf_checks=True, HTTP_ORIGIN="http://testserver")
    client.force_login(bob)
    response = post(client, work)
    assert response.status_code == 403
    assert "session expired" in flash_error(response)
    assert shown_text(response) == TEXT
    doc = parse(response)
    token = doc.xpath("//form[contains(@class,'new_comment')]//input[@name='csrfmiddlewaretoken']")
    assert token and token[0].get("value")
    assert not Comment.objects.exists()
    # Posting the form as shown (with its fresh token) works.
    again = client.post(
        f"/works/{work.pk}/comments",
        {"comment[comment_content]": TEXT, "csrfmiddlewaretoken": token[0].get("value")},
    )
    assert again.status_code == 302 and Comment.objects.count() == 1


def test_a_guest_reply_failing_the_csrf_check_keeps_name_and_text(work, bob):
    comment = make_comment(work, user=bob)
    guest = Client(enforce_csrf_checks=True, HTTP_REFERER=f"http://testserver/works/{work.pk}")
    response = reply(guest, comment, name="Lizzy", email="lizzy@example.org")
    assert response.status_code == 403
    doc = parse(response)
    assert form_value(doc, "comment[comment_content]") == TEXT
    assert form_value(doc, "comment[name]") == "Lizzy"
    assert Comment.objects.count() == 1


def test_other_forms_failing_the_csrf_check_get_djangos_page(work, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(f"/works/{work.pk}/mark_for_later")
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content


def test_guests_pages_carry_no_token_and_stay_cached(work, client, django_assert_num_queries):
    form = parse(client.get(f"/works/{work.pk}")).xpath("//form[contains(@class,'new_comment')]")[0]
    assert not form.xpath(".//input[@name='csrfmiddlewaretoken']")
    assert form.get("data-token-url") == "/token_dispenser.json"
    with django_assert_num_queries(0):
        client.get(f"/works/{work.pk}")


def test_a_guests_cached_page_shows_a_new_comment_at_once(work, bob, client):
    assert comment_ids(client.get(f"/works/{work.pk}")) == []
    version = Work.objects.get(pk=work.pk).version
    comment = make_comment(work, user=bob)
    assert comment_ids(client.get(f"/works/{work.pk}")) == [comment.pk]
    client_for(bob).post(f"/comments/{comment.pk}/delete")
    assert comment_ids(client.get(f"/works/{work.pk}")) == []
    assert Work.objects.get(pk=work.pk).version == version  # no fragment went stale


@pytest.fixture
def new_accounts(settings):
    settings.COMMENT_NEW_ACCOUNT_DAYS = 7
    settings.COMMENT_RATE_LIMIT = 3
    settings.COMMENT_RATE_MINUTES = 15


def test_a_new_account_may_post_three_comments_in_fifteen_minutes(work, bob, new_accounts):
    client = client_for(bob)
    for _ in range(3):
        assert post(client, work).status_code == 302
    before = row_counts(Comment, InboxComment)
    response = post(client, work, "A fourth thought, held back.")
    assert response.status_code == 429  # AO3's answer, with when to try again
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    message = flash_error(response)
    assert "New accounts can post at most 3 comments every 15 minutes." in message
    assert "You can comment again in 15 minutes" in message
    assert shown_text(response) == "A fourth thought, held back."
    assert row_counts(Comment, InboxComment) == before
    # The window moves on.
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    assert post(client, work).status_code == 302


def test_an_older_account_is_not_limited(work, bob, new_accounts):
    type(bob).objects.filter(pk=bob.pk).update(date_joined=timezone.now() - timedelta(days=8))
    bob.refresh_from_db()
    client = client_for(bob)
    for _ in range(5):
        assert post(client, work).status_code == 302


def test_guests_are_limited_per_ip(work, client, new_accounts):
    for _ in range(3):
        assert post(client, work, name="G", email="g@example.org").status_code == 302
    response = post(client, work, name="G", email="g@example.org")
    assert "Guests can post at most 3 comments" in flash_error(response)
    assert shown_text(response) == TEXT
    assert post(client, work, ip="10.0.0.2", name="G", email="g@example.org").status_code == 302


# Counts


def test_blurbs_and_stats_show_the_comment_count_once_there_are_comments(work, bob, client):
    blurb = "//li[contains(@class,'blurb')]//dl[@class='stats']/dd[@class='comments']"
    stats = "//dl[@class='stats']/dd[@class='comments']"
    assert not parse(client.get("/works")).xpath(blurb)
    assert not parse(client.get(f"/works/{work.pk}")).xpath(stats)
    first = make_comment(work, user=bob)
    make_comment(work, parent=first)
    assert [text_of(d) for d in parse(client.get("/works")).xpath(blurb)] == ["2"]
    assert [text_of(d) for d in parse(client.get(f"/works/{work.pk}")).xpath(stats)] == ["2"]
    assert count(work) == Comment.objects.filter(work=work, approved=True, deleted=False).count()
