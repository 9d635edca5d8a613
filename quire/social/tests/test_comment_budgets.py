"""Query budgets of pages with comments (STYLE.md): a work page, a chapter page and a thread's
page cost the same with a few comments (more than one page of threads) as with 500, threads
paginated twenty a page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.social.actions import CommentInput, do_create_comment, forget_recent_hits
from quire.social.models import Comment
from quire.testing import make_work
from quire.works.queries import access_work

pytestmark = pytest.mark.django_db

# The work page's budget (works/tests/test_query_budgets.py) plus what comments add: muted
# users, one page of thread ids, their comments, the count of pages, and the header's unread
# count. (17 with the reader's subscription to the work, which the work page budget includes.)
COMMENTED_PAGE_BUDGET = 17


def add_comments(work, users, count: int) -> None:
    """`count` comments: every third a reply to the one before, the rest new threads, by
    turns from `users`; one thread in ten runs seven deep, past the five shown."""
    work = access_work(users[0], work.pk)
    chapters = list(work.chapters.order_by("position"))
    chapters = [chapters[0], chapters[-1]]  # the first and the last
    previous = None
    for number in range(count):
        user = users[number % len(users)]
        data = CommentInput(content=f"Comment {number}.", pseud=user.pseuds.get(is_default=True))
        deep = number % 30 >= 20 and number % 30 < 27
        parent = previous if previous is not None and (number % 3 == 1 or deep) else None
        if parent is not None and parent.depth >= 6:
            parent = None
        chapter = parent.chapter if parent is not None else chapters[number % len(chapters)]
        previous = do_create_comment(work, chapter, user=user, data=data, parent=parent)


def queries(client, path: str) -> int:
    cache.clear()
    forget_recent_hits()  # each visit buffers its hit afresh
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("reader", ["guest", "bob", "alice"])
def test_pages_with_a_few_or_500_comments_cost_the_same(alice, bob, carol, client, reader):
    viewer = {"guest": client, "bob": client_for(bob), "alice": client_for(alice)}[reader]
    one_shot = make_work(author=alice, title="One-shot")
    chaptered = make_work(author=alice, title="Chaptered", chapters=3)
    last = chaptered.chapters.order_by("position").last()
    paths = {
        "one-shot": f"/works/{one_shot.pk}",
        "one-shot page 2": f"/works/{one_shot.pk}?show_comments=true&page=2",
        "full work": f"/works/{chaptered.pk}?view_full_work=true",
        "chapter": f"/works/{chaptered.pk}/chapters/{last.pk}",
    }
    add_comments(one_shot, [bob, carol], 45)
    add_comments(chaptered, [bob, carol], 70)
    thread = Comment.objects.filter(work=one_shot, depth=0).first()
    paths["thread"] = f"/comments/{thread.pk}"
    few = {name: queries(viewer, path) for name, path in paths.items()}
    add_comments(one_shot, [carol, bob], 455)
    add_comments(chaptered, [carol, bob], 430)
    many = {name: queries(viewer, path) for name, path in paths.items()}
    assert few == many
    assert max(many.values()) <= COMMENTED_PAGE_BUDGET, many


def test_a_page_of_500_comments_shows_twenty_threads(alice, bob, carol, client):
    work = make_work(author=alice)
    add_comments(work, [bob, carol], 500)
    doc = client.get(f"/works/{work.pk}?show_comments=true&page=3").content.decode()
    roots = list(Comment.objects.filter(work=work, depth=0).order_by("id"))
    assert len(roots) > 60
    shown = [root.pk for root in roots if f'id="comment_{root.pk}"' in doc]
    assert shown == [root.pk for root in roots[40:60]]
