"""The news pages cost the same however many posts, tags and comments they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.news.actions import do_create_news_comment
from quire.pages.queries import forget_site_settings
from quire.social.actions import CommentInput

from .conftest import days_ago, make_post

pytestmark = pytest.mark.django_db

BUDGET = 12


def queries(client, path: str) -> int:
    forget_site_settings()  # counted cold: the worker's copy of the site settings too
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def comment(post, user, parent=None):
    data = CommentInput("A comment.", pseud=user.pseuds.get())
    return do_create_news_comment(post, user=user, data=data, parent=parent)


@pytest.mark.parametrize("who", ["guest", "reader", "editor"])
def test_the_index_and_a_post_cost_the_same_for_few_and_many(who, client, alice, bob, editor):
    reader = {"guest": client, "reader": client_for(bob), "editor": client_for(editor)}[who]
    few = make_post(by=editor, title="Few", tags=["One"], published_at=days_ago(2))
    top = comment(few, alice)
    comment(few, alice, parent=top)
    counts = [queries(reader, "/admin_posts"), queries(reader, f"/admin_posts/{few.pk}")]

    many = make_post(by=editor, title="Many", tags=["A", "B", "C", "D"])
    for _ in range(6):
        make_post(by=editor, tags=["E", "F"])
    for _ in range(8):
        top = comment(many, alice)
        comment(many, bob, parent=comment(many, alice, parent=top))
    assert queries(reader, "/admin_posts") == counts[0]
    assert queries(reader, f"/admin_posts/{many.pk}") == counts[1]
    assert max(counts) <= BUDGET, counts
