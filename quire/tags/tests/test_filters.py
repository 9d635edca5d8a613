"""The filter table: synonyms and metatags find everything, and only rebuild_filters writes."""

import pytest

from quire.tags.actions import (
    WranglingError,
    do_add_metatag,
    do_find_or_create_tags,
    do_make_synonym,
    do_remove_metatag,
    do_remove_synonym,
    do_set_canonical,
)
from quire.tags.models import FilterTagging, PendingFilterRebuild, Tag, TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work

pytestmark = pytest.mark.django_db


def filter_names(work) -> dict[str, bool]:
    return dict(FilterTagging.objects.filter(work=work).values_list("tag__name", "inherited"))


def canonical(name: str, tag_type=TagType.FREEFORM) -> Tag:
    tag = tag_by_name(name)
    if tag is None:
        (tag,) = do_find_or_create_tags([name], tag_type)
    return do_set_canonical(tag, True)


def test_a_posted_work_is_filtered_under_its_canonical_tags_only(alice):
    canonical("Fluff")
    work = make_work(author=alice, freeforms=("Fluff", "unwrangled thing"))
    names = filter_names(work)
    assert names["Fluff"] is False
    assert "unwrangled thing" not in names
    assert names["General Audiences"] is False  # fixed tags are canonical


def test_making_a_synonym_lists_its_works_under_the_canonical(alice):
    sherlock = canonical("Sherlock Holmes", TagType.CHARACTER)
    work = make_work(author=alice, characters=("Holmes",))
    assert "Sherlock Holmes" not in filter_names(work)
    do_make_synonym(tag_by_name("Holmes"), sherlock)
    assert filter_names(work)["Sherlock Holmes"] is False
    assert not PendingFilterRebuild.objects.exists()
    do_remove_synonym(tag_by_name("Holmes"))
    assert "Sherlock Holmes" not in filter_names(work)


def test_subtags_works_are_listed_under_every_metatag_above(alice):
    au = canonical("Alternate Universe")
    modern = canonical("Alternate Universe - Modern")
    coffee = canonical("Alternate Universe - Coffee Shops")
    work = make_work(author=alice, freeforms=("Alternate Universe - Coffee Shops",))
    do_add_metatag(coffee, modern)
    do_add_metatag(modern, au)
    names = filter_names(work)
    assert names["Alternate Universe - Coffee Shops"] is False
    assert names["Alternate Universe - Modern"] is True
    assert names["Alternate Universe"] is True
    do_remove_metatag(modern, au)
    assert "Alternate Universe" not in filter_names(work)


def test_metatag_loops_and_mixed_types_are_refused():
    a, b = canonical("Aaa"), canonical("Bbb")
    do_add_metatag(a, b)
    with pytest.raises(WranglingError, match="loop"):
        do_add_metatag(b, a)
    character = canonical("Ccc Person", TagType.CHARACTER)
    with pytest.raises(WranglingError, match="same type"):
        do_add_metatag(character, a)


def test_a_synonym_cannot_point_at_an_unwrangled_tag(alice):
    make_work(author=alice, freeforms=("loose one", "loose two"))
    with pytest.raises(WranglingError, match="not canonical"):
        do_make_synonym(tag_by_name("loose one"), tag_by_name("loose two"))


def test_turning_a_canonical_tag_into_a_synonym_moves_its_hierarchy(alice):
    top = canonical("Top")
    old = canonical("Old Name")
    new = canonical("New Name")
    child = canonical("Child")
    do_add_metatag(old, top)
    do_add_metatag(child, old)
    (stray,) = do_find_or_create_tags(["Old Spelling"], TagType.FREEFORM)
    do_make_synonym(stray, old)
    work = make_work(author=alice, freeforms=("Child", "Old Spelling"))
    do_make_synonym(old, new)
    old.refresh_from_db()
    stray.refresh_from_db()
    assert not old.canonical and old.merger == new
    assert stray.merger == new  # re-pointed
    names = filter_names(work)
    assert names["New Name"] is False  # through the synonyms
    assert names["Top"] is True  # the metatag moved to the canonical
    assert "Old Name" not in names


def test_crossover_and_otp_flags_follow_the_fandoms_and_relationships(alice):
    work = make_work(
        author=alice,
        fandoms=("Emma - Jane Austen", "Persuasion - Jane Austen"),
        relationships=("Emma Woodhouse/George Knightley",),
    )
    assert work.crossover and work.otp
    austen = canonical("Jane Austen - Works", TagType.FANDOM)
    emma = do_set_canonical(tag_by_name("Emma - Jane Austen"), True)
    persuasion = do_set_canonical(tag_by_name("Persuasion - Jane Austen"), True)
    do_add_metatag(emma, austen)
    do_add_metatag(persuasion, austen)
    work.refresh_from_db()
    assert not work.crossover
