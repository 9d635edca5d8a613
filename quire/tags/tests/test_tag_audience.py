"""Tag names do not leak (issue 11): a tag typed into a draft, a private bookmark, a hidden work
or (for guests) a restricted work is shown nowhere to anyone else (its pages, /works?tag_id=,
tag search, autocomplete, the search sidebar, the fandom lists) until a work others may see or
a public bookmark uses it, or a wrangler makes it canonical. Wranglers see every tag."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.social.actions import (
    BookmarkInput,
    do_create_bookmark,
    do_delete_bookmark,
    do_update_bookmark,
)
from quire.tags.actions import do_set_canonical
from quire.tags.models import Tag
from quire.tags.queries import tag_by_name
from quire.testing import make_user, make_work, work_form_data
from quire.works.actions import do_delete_work, do_post_work, do_set_hidden_by_admin

pytestmark = pytest.mark.django_db

SECRET = "Secret Sorrows of Mr Darcy"
SECRET_FANDOM = "Secret Fandom Nobody Knows"
EVERY_SURFACE = {
    "tag page",
    "tag works page",
    "works by tag name",
    "tag search",
    "autocomplete",
    "search sidebar",
}


def surfaces_showing(client, name: str, kind: str = "freeform") -> set[str]:
    """Where `client` is shown the tag called `name`."""
    tag = tag_by_name(name)
    url = quote(name)
    shown = set()
    if client.get(f"/tags/{url}").status_code == 200:
        shown.add("tag page")
    if client.get(f"/tags/{url}/works", follow=True).status_code == 200:
        shown.add("tag works page")
    if client.get(f"/works?tag_id={url}").status_code == 200:
        shown.add("works by tag name")
    if name in client.get(f"/tags?tag_search[name]={quote(name[:10])}").content.decode():
        shown.add("tag search")
    if kind != "unsorted":
        found = client.get(f"/autocomplete/{kind}?term={quote(name[:6])}").json()
        if name in [item["name"] for item in found]:
            shown.add("autocomplete")
    if kind != "unsorted":
        sidebar = client.get(f"/works?include_work_search[{kind}_ids][]={tag.pk}")
        if name in sidebar.content.decode():
            shown.add("search sidebar")
    return shown


@pytest.fixture
def cast(client, alice, bob, wrangler):
    return {"guest": client, "bob": client_for(bob), "wrangler": client_for(wrangler)}


def shown_to(cast, name: str, kind: str = "freeform") -> dict[str, set[str]]:
    return {viewer: surfaces_showing(client, name, kind) for viewer, client in cast.items()}


ALL_SEE = {"guest": EVERY_SURFACE, "bob": EVERY_SURFACE, "wrangler": EVERY_SURFACE}
ONLY_WRANGLERS = {"guest": set(), "bob": set(), "wrangler": EVERY_SURFACE}
# A bookmark's new tag is unsorted: never suggested, never a facet.
UNSORTED_SURFACES = EVERY_SURFACE - {"autocomplete", "search sidebar"}
ALL_SEE_UNSORTED = dict.fromkeys(ALL_SEE, UNSORTED_SURFACES)
ONLY_WRANGLERS_UNSORTED = {"guest": set(), "bob": set(), "wrangler": UNSORTED_SURFACES}


def test_a_tag_only_a_draft_uses_is_shown_to_no_one_until_the_work_is_posted(alice, cast):
    draft = make_work(author=alice, freeforms=(SECRET,), posted=False)
    assert shown_to(cast, SECRET) == ONLY_WRANGLERS
    do_post_work(draft)
    assert shown_to(cast, SECRET) == ALL_SEE


def test_a_tag_only_a_private_bookmark_uses_is_shown_to_no_one_until_it_is_public(alice, bob, cast):
    work = make_work(author=alice)
    data = BookmarkInput(pseud=bob.pseuds.get(), tag_names=[SECRET], private=True)
    bookmark = do_create_bookmark(work, owner=bob, data=data)
    assert shown_to(cast, SECRET, "unsorted") == ONLY_WRANGLERS_UNSORTED
    data.private = False
    do_update_bookmark(bookmark, data)
    assert shown_to(cast, SECRET, "unsorted") == ALL_SEE_UNSORTED
    do_delete_bookmark(bookmark)
    assert shown_to(cast, SECRET, "unsorted") == ONLY_WRANGLERS_UNSORTED


def test_a_public_bookmark_of_a_draft_shows_nothing(alice, bob, cast):
    draft = make_work(author=alice, posted=False)
    data = BookmarkInput(pseud=bob.pseuds.get(), tag_names=[SECRET])
    do_create_bookmark(draft, owner=bob, data=data)
    assert shown_to(cast, SECRET, "unsorted") == ONLY_WRANGLERS_UNSORTED


def test_a_tag_only_a_restricted_work_uses_is_shown_to_logged_in_readers_only(alice, cast):
    make_work(author=alice, freeforms=(SECRET,), restricted=True)
    assert shown_to(cast, SECRET) == {
        "guest": set(),
        "bob": EVERY_SURFACE,
        "wrangler": EVERY_SURFACE,
    }


def test_a_tag_only_a_hidden_work_uses_is_shown_to_no_one(alice, cast):
    work = make_work(author=alice, freeforms=(SECRET,))
    do_set_hidden_by_admin(work, hidden=True)
    assert shown_to(cast, SECRET) == ONLY_WRANGLERS
    do_set_hidden_by_admin(work, hidden=False)
    assert shown_to(cast, SECRET) == ALL_SEE


def test_a_tag_made_canonical_by_a_wrangler_is_shown_to_everyone(alice, cast):
    make_work(author=alice, freeforms=(SECRET,), posted=False)
    do_set_canonical(tag_by_name(SECRET), True)
    assert shown_to(cast, SECRET) == ALL_SEE
    do_set_canonical(tag_by_name(SECRET), False)
    assert shown_to(cast, SECRET) == ONLY_WRANGLERS


def test_a_tag_taken_off_the_last_visible_work_is_hidden_again(alice, cast):
    work = make_work(author=alice, freeforms=(SECRET,))
    other = make_work(author=alice, freeforms=(SECRET,))
    assert shown_to(cast, SECRET) == ALL_SEE
    response = client_for(alice).post(
        f"/works/{work.pk}/edit", work_form_data(alice, freeforms="Something Else")
    )
    assert response.status_code == 302
    assert shown_to(cast, SECRET) == ALL_SEE  # the other work still uses it
    do_delete_work(other)
    assert shown_to(cast, SECRET) == ONLY_WRANGLERS


def test_the_creator_of_a_draft_is_not_shown_its_new_tags_either(alice, cast):
    # AO3-like and simple: the tag exists for the public once the work is posted.
    make_work(author=alice, freeforms=(SECRET,), posted=False)
    assert surfaces_showing(client_for(alice), SECRET) == set()


def test_a_new_fandom_of_a_draft_is_not_in_the_fandom_lists(alice, cast):
    make_work(author=alice, fandoms=(SECRET_FANDOM,), posted=False)
    for client in cast.values():
        for path in ("/fandoms", "/media", "/media/Uncategorized%20Fandoms/fandoms"):
            assert SECRET_FANDOM not in client.get(path).content.decode(), path
    for viewer in ("guest", "bob"):
        assert surfaces_showing(cast[viewer], SECRET_FANDOM, "fandom") == set(), viewer


def test_a_tag_page_lists_only_the_relatives_the_viewer_may_see(alice, cast):
    from quire.tags.actions import do_add_parent, do_find_or_create_tags
    from quire.tags.models import TagType

    (fandom,) = do_find_or_create_tags(["Sherlock (TV)"], TagType.FANDOM)
    fandom = do_set_canonical(fandom, True)
    make_work(author=alice, fandoms=("Sherlock (TV)",), characters=("Secret Holmes",), posted=False)
    make_work(author=alice, fandoms=("Sherlock (TV)",), characters=("Open Holmes",))
    for name in ("Secret Holmes", "Open Holmes"):
        do_add_parent(tag_by_name(name), fandom)
    for viewer, client in cast.items():
        page = client.get("/tags/Sherlock%20(TV)").content.decode()
        assert "Open Holmes" in page, viewer
        assert ("Secret Holmes" in page) == (viewer == "wrangler"), viewer


def test_the_fixed_tags_and_media_are_shown_to_everyone():
    assert not Tag.objects.filter(canonical=True, shown_to_guests=False).exists()
    assert not Tag.objects.filter(shown_to_guests=True, shown_to_users=False).exists()


def test_refreshing_a_tags_audience_costs_the_same_however_many_works_use_it(alice):
    from quire.tags.audience import refresh_tag_audience

    make_work(author=alice, freeforms=(SECRET,), posted=False)
    tag = tag_by_name(SECRET)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            refresh_tag_audience([tag.pk])
        return len(captured)

    before = cost()
    for _ in range(5):
        make_work(author=alice, freeforms=(SECRET,), posted=False)
    assert cost() == before == 1


def test_the_migration_computes_what_the_writer_keeps(alice, bob):
    """Migration 0007's copy of the rule agrees with audience.refresh_tag_audience."""
    import importlib

    from django.apps import apps

    from quire.tags.audience import refresh_tag_audience

    carol = make_user("carol")
    make_work(author=alice, freeforms=("Open",))
    make_work(author=alice, freeforms=("Members",), restricted=True)
    make_work(author=alice, freeforms=("Drafted",), posted=False)
    hidden = make_work(author=alice, freeforms=("Hidden",))
    do_set_hidden_by_admin(hidden, hidden=True)
    for owner, names, private in ((bob, ["Kept Quiet"], True), (carol, ["Told All"], False)):
        data = BookmarkInput(pseud=owner.pseuds.get(), tag_names=names, private=private)
        target = hidden if owner is bob else make_work(author=alice)
        do_create_bookmark(target, owner=owner, data=data)

    def flags() -> dict[str, tuple[bool, bool]]:
        rows = Tag.objects.values_list("name", "shown_to_guests", "shown_to_users")
        return {name: (guests, users) for name, guests, users in rows}

    kept = flags()
    Tag.objects.update(shown_to_guests=False, shown_to_users=False)
    migration = importlib.import_module("quire.tags.migrations.0007_tag_audience_flags")
    migration.compute_audience(apps, None)
    assert flags() == kept
    Tag.objects.update(shown_to_guests=True, shown_to_users=True)
    refresh_tag_audience(Tag.objects.values_list("pk", flat=True))
    assert flags() == kept
    assert kept["Open"] == (True, True)
    assert kept["Members"] == (False, True)
    assert kept["Drafted"] == kept["Hidden"] == kept["Kept Quiet"] == (False, False)
    assert kept["Told All"] == (True, True)


def test_blocking_a_tag_no_one_may_see_answers_as_for_a_missing_tag(alice, bob):
    from quire.search.actions import BlocklistError, check_block

    make_work(author=alice, freeforms=(SECRET,), posted=False)
    with pytest.raises(BlocklistError) as refused:
        check_block(bob, tag_name=SECRET)
    assert str(refused.value) == f"There is no tag named “{SECRET}”."
    do_post_work(tag_by_name(SECRET).works.get())
    assert check_block(bob, tag_name=SECRET).tag == tag_by_name(SECRET)


def test_a_search_does_not_tell_a_hidden_synonym_from_an_unknown_name(alice, bob, wrangler):
    # A name typed only into a draft, then wrangled as a synonym: typing it into a search must
    # not narrow to its canonical (that would tell strangers the name exists).
    from quire.tags.actions import do_make_synonym

    make_work(author=alice, title="Public Tea", freeforms=("Afternoon Tea",))
    make_work(author=alice, title="Draft", freeforms=("Cake Secretly Shared",), posted=False)
    do_set_canonical(tag_by_name("Afternoon Tea"), True)
    do_make_synonym(tag_by_name("Cake Secretly Shared"), tag_by_name("Afternoon Tea"))
    for client in (client_for(bob), client_for(None)):
        page = client.get("/works?work_search[other_tag_names]=Cake Secretly Shared")
        assert "Public Tea" not in page.content.decode()
    # Once a visible work uses it, the synonym finds its canonical's works, as AO3's do.
    make_work(author=alice, title="Shared Cake", freeforms=("Cake Secretly Shared",))
    page = client_for(bob).get("/works?work_search[other_tag_names]=Cake Secretly Shared")
    assert "Public Tea" in page.content.decode()
