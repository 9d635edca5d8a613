"""The front page shows the newest published news post, for one query more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.works.tests.test_query_budgets import LISTING_BUDGET

from .conftest import days_ago, make_post

pytestmark = pytest.mark.django_db


def test_the_front_page_shows_the_newest_post(client, editor):
    make_post(by=editor, title="Last week", published_at=days_ago(7))
    post = make_post(
        by=editor,
        title="Welcome back",
        body="<p>The <b>first</b> paragraph.</p><p>The second paragraph.</p>",
    )
    make_post(by=editor, title="Not yet", published=False)
    page = client.get("/").content.decode()
    assert "Welcome back" in page
    assert f'href="/admin_posts/{post.pk}"' in page
    assert 'href="/admin_posts"' in page
    assert "The first paragraph." in page
    assert "The second paragraph." not in page
    assert "Last week" not in page
    assert "Not yet" not in page


def test_a_draft_never_reaches_the_front_page(client, editor):
    make_post(by=editor, title="Not yet", published=False)
    page = client.get("/").content.decode()
    assert "Not yet" not in page
    assert 'id="news"' not in page


def count(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def test_the_news_costs_the_front_page_one_query(client, editor):
    without = count(client)
    make_post(by=editor, tags=["A", "B"])
    with_news = count(client)
    assert with_news == without
    assert with_news <= LISTING_BUDGET
