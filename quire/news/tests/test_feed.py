"""The Atom feed of news: valid Atom, published posts only, absolute links."""

import lxml.etree
import pytest

from .conftest import days_ago, make_post

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_is_atom_with_the_published_posts_newest_first(client, editor, settings):
    settings.SITE_URL = "https://news.example.org"
    make_post(by=editor, title="Older", published_at=days_ago(2), tags=["Site"])
    newer = make_post(by=editor, title="Newer", body="<p>Fresh & new</p>")
    make_post(by=editor, title="Draft only", published=False)
    response = client.get("/admin_posts/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = lxml.etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Newer", "Older"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"https://news.example.org/admin_posts/{newer.pk}"
    assert entries[0].findtext(f"{ATOM}id") == link
    assert "Fresh &amp; new" in entries[0].findtext(f"{ATOM}summary")
    assert [c.get("term") for c in entries[1].findall(f"{ATOM}category")] == ["Site"]
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "https://news.example.org/admin_posts/feed.atom"
    assert b"Draft only" not in response.content


def test_the_feed_links_to_the_requests_site_without_a_setting(client, editor, settings):
    settings.SITE_URL = ""
    post = make_post(by=editor)
    root = lxml.etree.fromstring(
        client.get("/admin_posts/feed.atom", HTTP_HOST="testserver").content
    )
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/admin_posts/{post.pk}"


def test_an_empty_feed_is_still_valid(client, db):
    root = lxml.etree.fromstring(client.get("/admin_posts/feed.atom").content)
    assert root.tag == f"{ATOM}feed"
    assert root.findall(f"{ATOM}entry") == []


def test_the_news_pages_advertise_the_feed(client, editor):
    post = make_post(by=editor)
    for path in ("/admin_posts", f"/admin_posts/{post.pk}"):
        assert 'type="application/atom+xml"' in client.get(path).content.decode()
