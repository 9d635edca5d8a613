"""Query budgets (STYLE.md): a page's query count stays under its budget and does not grow
with the number of chapters, tags or listed works. Counted with a cold cache, the worst case."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.testing import make_work, work_form_data

pytestmark = pytest.mark.django_db

# 13: a logged-in reader's page also asks for their subscription to the work (the
# Subscribe/Unsubscribe button); still one query however many chapters or subscriptions.
WORK_PAGE_BUDGET = 13
LISTING_BUDGET = 14

# 20 tags: rating, warning, category, fandom and 16 more.
MANY_TAGS: dict[str, Any] = {
    "relationships": tuple(f"Person {n}/Person {n + 1}" for n in range(5)),
    "characters": tuple(f"Person {n}" for n in range(6)),
    "freeforms": tuple(f"Trope {n}" for n in range(5)),
}


def queries(client, path: str, *, cold: bool = True) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture
def readers(client, alice, bob):
    return {"guest": client, "reader": client_for(bob), "creator": client_for(alice)}


@pytest.fixture
def works(alice):
    return {
        "one-shot": make_work(author=alice, title="Short", **MANY_TAGS),
        "3 chapters": make_work(author=alice, title="Middling", chapters=3, **MANY_TAGS),
        "50 chapters": make_work(author=alice, title="Epic", chapters=50, **MANY_TAGS),
        "3 chapters, 4 tags": make_work(author=alice, title="Plain", chapters=3),
    }


def work_pages(work) -> dict[str, str]:
    last = work.chapters.order_by("position").last()
    return {
        "work": f"/works/{work.pk}?view_full_work=true",
        "chapter": f"/works/{work.pk}/chapters/{last.pk}",
        "navigate": f"/works/{work.pk}/navigate",
    }


@pytest.mark.parametrize("reader", ["guest", "reader", "creator"])
def test_work_pages_stay_within_budget(works, readers, reader, django_assert_max_num_queries):
    client = readers[reader]
    for kind, work in works.items():
        for page, path in work_pages(work).items():
            cache.clear()
            with django_assert_max_num_queries(WORK_PAGE_BUDGET, info=f"{kind} {page}"):
                assert client.get(path).status_code == 200


@pytest.mark.parametrize("reader", ["guest", "reader", "creator"])
def test_work_pages_do_not_grow_with_chapters_or_tags(works, readers, reader):
    client = readers[reader]
    for page in ("work", "chapter", "navigate"):
        counts = {kind: queries(client, work_pages(work)[page]) for kind, work in works.items()}
        assert counts["50 chapters"] == counts["3 chapters"], (page, counts)
        assert counts["3 chapters, 4 tags"] == counts["3 chapters"], (page, counts)


@pytest.mark.parametrize("reader", ["guest", "reader", "creator"])
def test_a_warm_cache_never_costs_more(works, readers, reader):
    client = readers[reader]
    for work in works.values():
        for path in work_pages(work).values():
            cold = queries(client, path)
            assert queries(client, path, cold=False) <= cold, path


@pytest.mark.parametrize("reader", ["guest", "reader", "creator"])
def test_an_adult_work_page_stays_within_budget(alice, readers, reader):
    work = make_work(author=alice, rating="Explicit", chapters=3, **MANY_TAGS)
    client = readers[reader]
    client.get(f"/works/{work.pk}?view_adult=true")  # past the gate, for this session
    for path in work_pages(work).values():
        assert queries(client, path) <= WORK_PAGE_BUDGET, path


def test_a_series_on_the_work_page_costs_the_same_for_long_series(alice, client):
    short = make_work(author=alice, new_series_title="Short Series")
    for number in range(2, 4):
        make_work(author=alice, title=f"Short {number}", series=short.series.get())
    long = make_work(author=alice, new_series_title="Long Series")
    for number in range(2, 20):
        make_work(author=alice, title=f"Long {number}", series=long.series.get())
    assert queries(client, f"/works/{short.pk}") == queries(client, f"/works/{long.pk}")
    assert queries(client, f"/works/{long.pk}") <= WORK_PAGE_BUDGET


# Listings ---------------------------------------------------------------------------------


def listing_paths() -> list[str]:
    return [
        "/",
        "/works",
        "/users/alice",
        "/users/alice/works",
        "/users/alice/pseuds/alice/works",
        # A canonical tag's listing (through the filter table) and an unwrangled tag's page.
        "/tags/General%20Audiences/works",
        "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen",
    ]


def make_listed(alice, count: int, *, start: int = 0) -> None:
    for number in range(start, start + count):
        make_work(
            author=alice,
            title=f"Listed {number}",
            chapters=1 + number % 3,
            restricted=number % 4 == 0,
            **MANY_TAGS,
        )


@pytest.mark.parametrize("reader", ["guest", "reader", "creator"])
def test_listings_cost_the_same_for_5_and_25_works(alice, readers, reader):
    client = readers[reader]
    make_listed(alice, 5)
    few = {path: queries(client, path) for path in listing_paths()}
    make_listed(alice, 20, start=5)
    many = {path: queries(client, path) for path in listing_paths()}
    assert few == many
    assert max(many.values()) <= LISTING_BUDGET, many


def test_the_series_page_costs_the_same_for_5_and_25_works(alice, client):
    first = make_work(author=alice, new_series_title="Saga", **MANY_TAGS)
    series = first.series.get()
    for number in range(4):
        make_work(author=alice, title=f"Saga {number}", series=series, **MANY_TAGS)
    few = queries(client, f"/series/{series.pk}")
    for number in range(4, 24):
        make_work(author=alice, title=f"Saga {number}", series=series, **MANY_TAGS)
    assert queries(client, f"/series/{series.pk}") == few <= LISTING_BUDGET


def test_creator_pages_do_not_grow_with_chapters_or_tags(works, alice):
    client = client_for(alice)
    for page in ("edit", "chapters/manage", "preview"):
        counts = {
            kind: queries(client, f"/works/{work.pk}/{page}")
            for kind, work in works.items()
            if kind != "one-shot"
        }
        assert len(set(counts.values())) == 1, (page, counts)


def test_the_drafts_page_costs_the_same_for_1_and_10_drafts(alice):
    client = client_for(alice)
    make_work(author=alice, posted=False)
    few = queries(client, "/users/alice/works/drafts")
    for number in range(9):
        make_work(author=alice, title=f"Draft {number}", posted=False)
    assert queries(client, "/users/alice/works/drafts") == few


def test_a_warm_listing_reads_no_creators_tags_or_series_and_renders_the_same(alice, client):
    make_listed(alice, 25)
    client.get("/works")  # the listing's facets are now cached
    cold_count = queries(client, "/works")  # blurb fragments not cached
    cold_html = client.get("/works").content
    with CaptureQueriesContext(connection) as captured:
        warm_html = client.get("/works").content
    assert len(captured) == cold_count - 3  # taggings, series, creatorships
    assert warm_html == cold_html


def test_an_edited_works_blurb_is_read_and_rendered_afresh(alice, client):
    work = make_work(author=alice, title="Before")
    assert b"Pride and Prejudice" in client.get("/works").content
    data = work_form_data(alice, title="After", fandoms="Emma - Jane Austen")
    assert client_for(alice).post(f"/works/{work.pk}/edit", data).status_code == 302
    listing = client.get("/works").content
    assert b"After" in listing and b"Emma - Jane Austen" in listing
    assert b"Pride and Prejudice" not in listing
