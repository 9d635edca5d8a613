"""Muting: a muted user's works are left out of every listing, search and saved-search feed
the muter sees, silently (AO3 hides them without a word, so they are not in the "N works
hidden by your blocklist" line and "show them this once" does not bring them back), never
their anonymous works (hiding those would tell who wrote them), and at no extra query
however many users are muted."""

import lxml.etree
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.accounts.actions import do_mute_user
from quire.accounts.models import Mute, User
from quire.search.actions import do_block_tag, do_save_search
from quire.search.queries import blocklist_of
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, set_work_fields, text_of

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_URL = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"
LISTINGS = (
    "/works",
    FANDOM_URL,
    "/works/search?work_search[query]=morning",
    "/users/carol/works",
    "/languages/en/works",
)


def canonical(name: str, tag_type=TagType.FREEFORM):
    tag = tag_by_name(name) or do_find_or_create_tags([name], tag_type)[0]
    return do_set_canonical(tag, True)


@pytest.fixture
def archive(alice, carol):
    canonical(FANDOM, TagType.FANDOM)
    canonical("Tea")
    return {
        "alices": make_work(author=alice, title="Alice Morning", freeforms=("Tea",)),
        "carols": make_work(author=carol, title="Carol Morning"),
        "carols anon": make_work(author=carol, title="Nameless Morning"),
        "together": make_work(
            author=alice,
            title="Shared Morning",
            pseuds=[alice.pseuds.get(), carol.pseuds.get()],
        ),
    }


def listed(client, path="/works", **params) -> list[str]:
    doc = parse(client.get(path, params))
    return sorted(text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/div/h4/a[1]"))


def test_a_muted_users_works_leave_every_listing_but_not_their_anonymous_ones(
    archive, bob, carol, bob_client
):
    set_work_fields(archive["carols anon"], anonymous=True)
    do_mute_user(bob, carol)
    for path in LISTINGS:
        titles = listed(bob_client, path)
        assert "Carol Morning" not in titles, path
        assert "Shared Morning" not in titles, path  # any creator muted is enough
    assert listed(bob_client, "/works") == ["Alice Morning", "Nameless Morning"]
    assert listed(bob_client, FANDOM_URL) == ["Alice Morning", "Nameless Morning"]
    assert listed(bob_client, "/tags/Tea/works") == ["Alice Morning"]


def test_a_mute_is_the_muters_alone(archive, bob, carol, viewers):
    do_mute_user(bob, carol)
    for viewer in ("guest", "alice", "admin"):
        assert "Carol Morning" in listed(viewers[viewer]), viewer


def test_muted_works_are_not_counted_as_hidden_nor_shown_this_once(archive, bob, carol, bob_client):
    do_mute_user(bob, carol)
    doc = parse(bob_client.get("/works"))
    assert not doc.xpath("//p[@class='blocklist notice']")
    do_block_tag(bob, tag_by_name("Tea"))
    line = parse(bob_client.get("/works")).xpath("//p[@class='blocklist notice']")[0]
    assert text_of(line).startswith("1 work hidden by your blocklist.")
    assert listed(bob_client, "/works", show_hidden="1") == ["Alice Morning"]
    assert listed(bob_client, FANDOM_URL, show_hidden="1") == ["Alice Morning"]


def test_the_heading_counts_what_the_muter_sees(archive, bob, carol, bob_client):
    do_mute_user(bob, carol)
    heading = text_of(parse(bob_client.get("/works")).xpath("//h2[@class='heading']")[0])
    assert heading.startswith("1 Work")  # of 4: carol's two and the shared one are muted


def test_unmuting_brings_them_back(archive, bob, carol, bob_client):
    from quire.accounts.actions import do_unmute_user

    do_mute_user(bob, carol)
    do_unmute_user(bob, carol)
    assert len(listed(bob_client)) == 4


def test_the_saved_search_feed_honours_the_owners_mutes(archive, bob, carol, client):
    set_work_fields(archive["carols anon"], anonymous=True)
    do_mute_user(bob, carol)
    saved = do_save_search(bob, name="All", path="/works", query_string="")
    response = client.get(f"/saved_searches/{saved.pk}/feed.atom", {"token": saved.feed_token})
    root = lxml.etree.fromstring(response.content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    titles = sorted(
        entry.findtext("atom:title", namespaces=ns) for entry in root.findall("atom:entry", ns)
    )
    assert titles == ["Alice Morning", "Nameless Morning"]


def test_blocklist_of_reads_entries_and_mutes_in_one_query(
    archive, bob, carol, alice, django_assert_num_queries
):
    do_block_tag(bob, tag_by_name("Tea"))
    do_mute_user(bob, carol)
    with django_assert_num_queries(1):
        blocklist = blocklist_of(bob)
    assert blocklist.muted_creator_ids == {carol.pk}
    assert blocklist.tag_ids == {tag_by_name("Tea").pk}
    assert not blocklist.creator_ids
    assert blocklist.counted.muted_creator_ids == frozenset()


def mute_many(muter, count: int) -> None:
    users = User.objects.bulk_create(
        [User(username=f"quiet{n}", email=f"quiet{n}@example.org") for n in range(count)]
    )
    Mute.objects.bulk_create([Mute(muter=muter, muted=user) for user in users])


def queries(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [*LISTINGS, "/tags/Tea/works", "/bookmarks", "/users/alice/bookmarks", "/users/alice"],
)
def test_2000_mutes_cost_no_more_queries_than_none(archive, bob, bob_client, path):
    do_mute_user(bob, User.objects.get(username="alice"))
    one = queries(bob_client, path)
    mute_many(bob, 1_999)
    assert Mute.objects.filter(muter=bob).count() == 2_000
    assert queries(bob_client, path) <= one, path


def test_the_muted_users_own_page_lists_none_of_their_works(archive, bob, carol, bob_client):
    set_work_fields(archive["carols anon"], anonymous=True)
    dashboard = parse(bob_client.get("/users/carol"))
    # Never the anonymous work under carol's name, muted or not.
    titles = dashboard.xpath("//li[contains(@class,'work blurb')]//h4/a[1]")
    assert sorted(text_of(a) for a in titles) == ["Carol Morning", "Shared Morning"]
    do_mute_user(bob, carol)
    dashboard = parse(bob_client.get("/users/carol"))
    assert not dashboard.xpath("//li[contains(@class,'work blurb')]")
    assert dashboard.xpath("//li[@class='mute']/a/text()") == ["Unmute"]


def test_a_series_page_leaves_out_the_muted_users_works(alice, bob, carol, bob_client):
    first = make_work(author=alice, title="Relay One", new_series_title="Relay")
    relay = first.series.get()
    make_work(author=carol, title="Relay Two", series=relay)
    hidden_name = make_work(author=carol, title="Relay Three", series=relay)
    set_work_fields(hidden_name, anonymous=True)
    do_mute_user(bob, carol)
    doc = parse(bob_client.get(f"/series/{relay.pk}"))
    titles = [text_of(a) for a in doc.xpath("//ul[contains(@class,'series')]/li//h4/a[1]")]
    assert titles == ["Relay One", "Relay Three"]
