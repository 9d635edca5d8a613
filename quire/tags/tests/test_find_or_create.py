"""do_find_or_create_tags: typed names become tags of one type (AO3.md §2)."""

import pytest

from quire.tags.actions import do_find_or_create_tags
from quire.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


def names(tags) -> list[str]:
    return [tag.name for tag in tags]


def test_unknown_names_become_new_non_canonical_tags_of_the_type():
    tags = do_find_or_create_tags(["Fluff", "Angst"], TagType.FREEFORM)
    assert names(tags) == ["Fluff", "Angst"]
    assert {(tag.type, tag.canonical) for tag in tags} == {(TagType.FREEFORM, False)}


def test_a_known_name_of_the_same_type_is_reused_whatever_its_case():
    fluff = do_find_or_create_tags(["Fluff"], TagType.FREEFORM)[0]
    again = do_find_or_create_tags(["fLUFF"], TagType.FREEFORM)
    assert again == [fluff]
    assert again[0].name == "Fluff"
    assert Tag.objects.filter(name__iexact="fluff").count() == 1


@pytest.mark.parametrize(
    ("tag_type", "suffix"),
    [
        (TagType.FANDOM, "Fandom"),
        (TagType.RELATIONSHIP, "Relationship"),
        (TagType.CHARACTER, "Character"),
        (TagType.FREEFORM, "Freeform"),
    ],
)
def test_a_name_taken_by_another_type_gets_the_type_added(tag_type, suffix):
    other = TagType.CHARACTER if tag_type != TagType.CHARACTER else TagType.FANDOM
    do_find_or_create_tags(["Sherlock"], other)
    tags = do_find_or_create_tags(["Sherlock"], tag_type)
    assert names(tags) == [f"Sherlock - {suffix}"]
    assert tags[0].type == tag_type


def test_the_suffixed_tag_is_reused_the_next_time():
    do_find_or_create_tags(["Sherlock"], TagType.CHARACTER)
    first = do_find_or_create_tags(["Sherlock"], TagType.FANDOM)
    second = do_find_or_create_tags(["sherlock"], TagType.FANDOM)
    assert first == second
    assert Tag.objects.filter(name__istartswith="sherlock").count() == 2


def test_the_fixed_tags_are_names_like_any_other():
    tags = do_find_or_create_tags(["Explicit", "Gen"], TagType.FREEFORM)
    assert names(tags) == ["Explicit - Freeform", "Gen - Freeform"]
    assert Tag.objects.get(name="Explicit").type == TagType.RATING


def test_duplicates_are_returned_once_in_the_order_given():
    tags = do_find_or_create_tags(["B", "A", "b", "C", "A"], TagType.CHARACTER)
    assert names(tags) == ["B", "A", "C"]


def test_two_names_that_land_on_the_same_suffixed_tag_are_returned_once():
    do_find_or_create_tags(["Sherlock"], TagType.CHARACTER)
    tags = do_find_or_create_tags(["Sherlock", "Sherlock - Fandom"], TagType.FANDOM)
    assert names(tags) == ["Sherlock - Fandom"]


def test_no_names_no_tags():
    assert do_find_or_create_tags([], TagType.FANDOM) == []


def test_non_ascii_names_are_one_tag_whatever_their_case():
    # SQLite's LOWER() folds ASCII only; the stored key is lower-cased in Python instead.
    first = do_find_or_create_tags(["Éponine Thénardier"], TagType.CHARACTER)
    again = do_find_or_create_tags(["Éponine Thénardier"], TagType.CHARACTER)
    lower = do_find_or_create_tags(["éponine thénardier"], TagType.CHARACTER)
    assert first == again == lower
    assert Tag.objects.filter(name_key="éponine thénardier").count() == 1
