"""The search index follows every change as soon as it commits: posting, editing, hiding,
deleting and wrangling reach listings, totals and (cached) facet counts."""

import pytest
from django.core.management import call_command

from quire.search.engines import PUBLIC, REGISTERED, WorkQuery, get_engine
from quire.search.index import index_missing_after_migrate
from quire.search.models import FacetCache, WorkDoc
from quire.search.text import parse_query
from quire.tags.actions import do_add_metatag, do_make_synonym, do_set_canonical
from quire.tags.filters import rebuild_pending
from quire.tags.models import Tag, TagType
from quire.testing import make_work, work_form_data
from quire.works.actions import do_delete_work, do_set_hidden_by_admin

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"


@pytest.fixture(autouse=True)
def canonical_fandoms():
    for name in (FANDOM, "Emma - Jane Austen", "Persuasion - Jane Austen"):
        Tag.objects.create(name=name, name_key=name.lower(), type=TagType.FANDOM, canonical=True)


def listed(tag_name: str, audience: str = REGISTERED):
    tag = Tag.objects.get(name=tag_name)
    result = get_engine().query(WorkQuery(tag_id=tag.pk), audience=audience)
    return result


def facet_count(result, tag_type: str, tag_name: str) -> int:
    tag = Tag.objects.get(name=tag_name)
    return dict(result.facets[tag_type]).get(tag.pk, 0)


def test_a_posted_work_is_listed_and_counted_at_once(alice):
    first = make_work(author=alice, characters=("Elizabeth Bennet",))
    before = listed(FANDOM)
    assert before.ids == [first.pk] and before.total == 1
    assert listed(FANDOM).facets_cached  # the bare listing's facets are now cached
    second = make_work(author=alice, characters=("Elizabeth Bennet",))
    after = listed(FANDOM)
    assert not after.facets_cached  # the new work made the cached facets stale
    assert after.ids == [second.pk, first.pk] and after.total == 2


def test_a_draft_is_never_indexed_until_posted(alice, alice_client):
    draft = make_work(author=alice, posted=False)
    assert not WorkDoc.objects.filter(work=draft).exists()
    assert listed(FANDOM).total == 0
    alice_client.post(f"/works/{draft.pk}/post")
    assert listed(FANDOM).ids == [draft.pk]


def test_an_edit_moves_the_work_between_listings_and_facets(alice, alice_client):
    work = make_work(author=alice, fandoms=("Emma - Jane Austen",), freeforms=("Tea",))
    listed("Emma - Jane Austen")  # cache the bare listing's facets
    Tag.objects.filter(name="Tea").update(canonical=True)
    data = work_form_data(alice, fandoms="Persuasion - Jane Austen", freeforms="Tea")
    response = alice_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    assert listed("Emma - Jane Austen").total == 0
    persuasion = listed("Persuasion - Jane Austen")
    assert persuasion.ids == [work.pk]
    assert facet_count(persuasion, "freeform", "Tea") == 1


def test_restricting_a_work_takes_it_out_of_guests_counts_only(alice, alice_client):
    work = make_work(author=alice)
    assert listed(FANDOM, PUBLIC).total == 1
    alice_client.post(f"/works/{work.pk}/edit", work_form_data(alice, restricted="on"))
    assert listed(FANDOM, PUBLIC).total == 0
    assert listed(FANDOM, REGISTERED).total == 1


def test_hiding_and_deleting_take_the_work_out(alice):
    hidden, deleted = make_work(author=alice), make_work(author=alice, title="Gone Soon")
    assert listed(FANDOM).total == 2
    do_set_hidden_by_admin(hidden, hidden=True)
    assert listed(FANDOM).ids == [deleted.pk]
    do_delete_work(deleted)
    assert listed(FANDOM).total == 0
    assert not WorkDoc.objects.exists()
    title_search = WorkQuery(text=parse_query("gone"))
    assert get_engine().query(title_search, audience=REGISTERED).total == 0


def test_wrangling_reaches_listings_and_cached_facets_after_the_rebuild(alice):
    canonical = Tag.objects.create(
        name="Elizabeth Bennet", name_key="elizabeth bennet", type=TagType.CHARACTER, canonical=True
    )
    make_work(author=alice, characters=("Elizabeth Bennet",))
    synonym_work = make_work(author=alice, characters=("Lizzy",))
    assert facet_count(listed(FANDOM), "character", "Elizabeth Bennet") == 1
    do_make_synonym(Tag.objects.get(name="Lizzy"), canonical)
    rebuild_pending()
    assert facet_count(listed(FANDOM), "character", "Elizabeth Bennet") == 2
    assert synonym_work.pk in listed("Elizabeth Bennet").ids
    # A metatag finds its subtags' works too.
    meta = Tag.objects.create(
        name="Bennet Family", name_key="bennet family", type=TagType.CHARACTER, canonical=True
    )
    do_add_metatag(canonical, meta)
    rebuild_pending()
    assert listed("Bennet Family").total == 2


def test_a_tag_that_stops_being_canonical_leaves_the_facets(alice):
    tea = Tag.objects.create(name="Tea", name_key="tea", type=TagType.FREEFORM, canonical=True)
    make_work(author=alice, freeforms=("Tea",))
    assert facet_count(listed(FANDOM), "freeform", "Tea") == 1
    do_set_canonical(tea, canonical=False)
    rebuild_pending()
    assert facet_count(listed(FANDOM), "freeform", "Tea") == 0


def test_facets_are_cached_per_audience(alice):
    make_work(author=alice)
    make_work(author=alice, restricted=True)
    assert listed(FANDOM, PUBLIC).total == 1
    assert listed(FANDOM, REGISTERED).total == 2
    assert FacetCache.objects.count() == 2
    assert listed(FANDOM, PUBLIC).facets_cached and listed(FANDOM, PUBLIC).total == 1


def test_migrate_indexes_works_the_index_is_missing(alice):
    work = make_work(author=alice)
    WorkDoc.objects.all().delete()
    index_missing_after_migrate()
    assert listed(FANDOM).ids == [work.pk]


def test_the_reindex_command_rebuilds_the_whole_index(alice):
    work = make_work(author=alice)
    WorkDoc.objects.all().delete()
    call_command("search_reindex", verbosity=0)
    assert listed(FANDOM).ids == [work.pk]
