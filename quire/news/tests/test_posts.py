"""The news index and a post's page: drafts are staff's only, the tag filter, sanitizing,
and the staff pages (new, edit, delete), each change logged."""

import re

import pytest

from quire.conftest import client_for
from quire.moderation.models import ActivityEntry
from quire.news.models import NewsPost, NewsTag
from quire.news.queries import POSTS_PER_PAGE
from quire.testing import parse

from .conftest import days_ago, make_post

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    doc = parse(response)
    return [
        " ".join(h.text_content().split())
        for h in doc.xpath(
            "//div[contains(@class, 'admin_post')]//h3[contains(@class, 'heading')]/a"
        )
    ]


def test_the_index_lists_published_posts_newest_first(client, editor):
    make_post(by=editor, title="Older", published_at=days_ago(3))
    make_post(by=editor, title="Newer", published_at=days_ago(1))
    response = client.get("/admin_posts")
    assert response.status_code == 200
    assert titles(response) == ["Newer", "Older"]


def test_a_draft_is_a_404_and_absent_for_everyone_but_news_staff(viewers, editor, helper):
    draft = make_post(by=editor, title="Secret plans", published=False)
    clients = {**viewers, "helper": client_for(helper)}
    clients.pop("admin")  # a superuser holds every permission
    for name, client in clients.items():
        assert client.get(f"/admin_posts/{draft.pk}").status_code == 404, name
        assert "Secret plans" not in client.get("/admin_posts").content.decode(), name
    staff = client_for(editor)
    assert staff.get(f"/admin_posts/{draft.pk}").status_code == 200
    assert "Secret plans" in staff.get("/admin_posts").content.decode()
    assert viewers["admin"].get(f"/admin_posts/{draft.pk}").status_code == 200


def test_missing_and_huge_ids_are_404s(client):
    assert client.get("/admin_posts/12345").status_code == 404
    assert client.get("/admin_posts/99999999999999999999999999").status_code == 404


def test_the_index_is_paginated_and_survives_hostile_page_numbers(client, editor):
    for number in range(POSTS_PER_PAGE + 2):
        make_post(by=editor, title=f"Post {number}", published_at=days_ago(100 - number))
    assert len(titles(client.get("/admin_posts"))) == POSTS_PER_PAGE
    assert titles(client.get("/admin_posts?page=2")) == ["Post 1", "Post 0"]
    for page in ("0", "-1", "10" * 30, "NaN", "²"):
        assert client.get(f"/admin_posts?page={page}").status_code == 200


def test_the_tag_filter_takes_an_id_or_a_name(client, editor):
    make_post(by=editor, title="Downtime tonight", tags=["Downtime"])
    make_post(by=editor, title="New feature", tags=["Announcement"])
    downtime = NewsTag.objects.get(name="Downtime")
    assert titles(client.get(f"/admin_posts?tag={downtime.pk}")) == ["Downtime tonight"]
    assert titles(client.get("/admin_posts?tag=downtime")) == ["Downtime tonight"]
    assert titles(client.get("/admin_posts?tag=Nothing")) == []
    assert titles(client.get("/admin_posts?tag=999999999999999999999999")) == []
    for hostile in ("a\x00b", "\x1b[0m", "x" * 5000):
        assert titles(client.get("/admin_posts", {"tag": hostile})) == []
    assert len(titles(client.get("/admin_posts?tag="))) == 2


def test_a_drafts_tag_is_not_offered_to_readers(client, editor):
    make_post(by=editor, title="Draft", tags=["Unannounced"], published=False)
    assert "Unannounced" not in client.get("/admin_posts").content.decode()


def test_tags_are_one_whatever_their_case(editor):
    make_post(by=editor, tags=["Downtime"])
    make_post(by=editor, tags=["DOWNTIME", "downtime"])
    assert NewsTag.objects.count() == 1


def test_the_post_page_shows_the_post_and_its_tags(client, editor):
    post = make_post(by=editor, title="Hello", body="Welcome, all.", tags=["Welcome"])
    page = client.get(f"/admin_posts/{post.pk}").content.decode()
    assert "Welcome, all." in page
    assert f'href="/admin_posts?tag={NewsTag.objects.get().pk}"' in page


def test_a_post_is_sanitized(editor_client):
    response = editor_client.post(
        "/admin_posts/new",
        {
            "title": "<b>Bold</b> news",
            "body": 'Hi<script>alert(1)</script><a href="javascript:x()" onclick="y()">l</a>',
            "published": "on",
        },
    )
    post = NewsPost.objects.get()
    assert response.status_code == 302
    assert post.title == "Bold news"
    assert "script" not in post.body
    assert "alert" not in post.body
    assert "javascript" not in post.body
    assert "onclick" not in post.body


def test_staff_write_edit_and_delete_posts_and_each_change_is_logged(editor, editor_client):
    response = editor_client.post(
        "/admin_posts/new",
        {"title": "First", "body": "One.", "tags": "News, Site", "comments_allowed": "on"},
    )
    post = NewsPost.objects.get()
    assert response["Location"] == f"/admin_posts/{post.pk}"
    assert post.author == editor
    assert not post.published  # the box was left unticked: a draft
    assert {tag.name for tag in post.tags.all()} == {"News", "Site"}

    assert editor_client.get(f"/admin_posts/{post.pk}/edit").status_code == 200
    editor_client.post(
        f"/admin_posts/{post.pk}/edit",
        {"title": "First!", "body": "One, edited.", "tags": "Site", "published": "on"},
    )
    post.refresh_from_db()
    assert post.title == "First!"
    assert post.published_at is not None
    assert [tag.name for tag in post.tags.all()] == ["Site"]
    assert not post.comments_allowed

    assert editor_client.get(f"/admin_posts/{post.pk}/delete").status_code == 200
    assert editor_client.post(f"/admin_posts/{post.pk}/delete").status_code == 302
    assert not NewsPost.objects.exists()

    log = list(ActivityEntry.objects.order_by("pk").values_list("action", "target_label", "note"))
    assert log == [
        ("news.create", "First", "draft"),
        ("news.update", "First!", "published"),
        ("news.delete", "First!", ""),
    ]
    assert all(entry.actor == editor for entry in ActivityEntry.objects.all())


def test_publishing_again_keeps_the_first_date(editor, editor_client):
    post = make_post(by=editor, published_at=days_ago(5))
    first = post.published_at
    editor_client.post(
        f"/admin_posts/{post.pk}/edit", {"title": "Again", "body": "x", "published": "on"}
    )
    post.refresh_from_db()
    assert post.published_at == first


def test_a_rejected_post_keeps_what_was_typed(editor_client):
    typed = "<div>" * 200 + "Deep thoughts"
    response = editor_client.post(
        "/admin_posts/new", {"title": "Kept title", "body": typed, "tags": "Kept tag"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept title" in page
    assert "Kept tag" in page
    assert "Deep thoughts" in page
    assert not NewsPost.objects.exists()
    assert editor_client.post("/admin_posts/new", {"title": " ", "body": "x"}).status_code == 200
    assert not NewsPost.objects.exists()


@pytest.mark.parametrize(
    "path", ["/admin_posts/new", "/admin_posts/{id}/edit", "/admin_posts/{id}/delete"]
)
def test_only_news_staff_reach_the_staff_pages(path, editor, client, alice, helper):
    post = make_post(by=editor)
    url = path.format(id=post.pk)
    guest = client.get(url)
    assert guest.status_code == 302
    assert guest["Location"].startswith("/users/login")
    assert client_for(alice).get(url).status_code == 403
    assert client_for(helper).get(url).status_code == 403
    assert client_for(alice).post(url, {"title": "Hacked", "body": "x"}).status_code == 403
    post.refresh_from_db()
    assert post.title == "Archive news"
    assert NewsPost.objects.count() == 1


def test_readers_see_no_staff_links(client, alice, editor):
    post = make_post(by=editor)
    for reader in (client, client_for(alice)):
        page = reader.get(f"/admin_posts/{post.pk}").content.decode()
        assert not re.search(r"/admin_posts/\d+/(edit|delete)", page)
        assert "/admin_posts/new" not in reader.get("/admin_posts").content.decode()
    assert (
        f"/admin_posts/{post.pk}/edit"
        in client_for(editor).get(f"/admin_posts/{post.pk}").content.decode()
    )


def test_the_header_links_to_the_news(client):
    doc = parse(client.get("/admin_posts"))
    assert doc.xpath("//header[@id='header']//a[@href='/admin_posts']")


def test_the_demo_archive_has_a_welcome_post_once(client):
    from quire.seeding.news import WELCOME_TITLE, write_welcome_post

    first = write_welcome_post()
    assert write_welcome_post() == first
    assert first.published
    assert WELCOME_TITLE in client.get("/").content.decode()


def test_the_index_counts_each_posts_comments_in_one_query(client, editor, alice):
    from quire.news.actions import do_create_news_comment
    from quire.social.actions import CommentInput

    posts = [make_post(by=editor, title=f"Post {n}", published_at=days_ago(n)) for n in (1, 2)]
    pseud = alice.pseuds.get()
    for _ in range(3):
        do_create_news_comment(posts[0], user=alice, data=CommentInput("Hi", pseud=pseud))
    page = client.get("/admin_posts").content.decode()
    assert "Read 3 Comments" in page
    assert page.count("Read ") == 1
