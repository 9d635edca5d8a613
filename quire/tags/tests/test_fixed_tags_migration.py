"""The fixed tag sets the data migration seeds are AO3's (AO3.md §1) and agree with
quire/tags/fixed.py, which keeps its own copy because migrations never import app code."""

from importlib import import_module

import pytest
from django.apps import apps

from quire.tags import fixed
from quire.tags.models import Tag, TagType
from quire.tags.queries import fixed_tags

pytestmark = pytest.mark.django_db

migration = import_module("quire.tags.migrations.0002_seed_fixed_tags")


def test_the_migrations_lists_equal_the_apps():
    assert list(fixed.RATINGS) == migration.RATINGS
    assert migration.WARNINGS == fixed.WARNINGS
    assert migration.CATEGORIES == fixed.CATEGORIES


def test_the_database_holds_the_fixed_sets_in_ao3s_order():
    assert [t.name for t in fixed_tags(TagType.RATING)] == [
        "Not Rated",
        "General Audiences",
        "Teen And Up Audiences",
        "Mature",
        "Explicit",
    ]
    assert [t.name for t in fixed_tags(TagType.WARNING)] == fixed.WARNINGS
    assert [t.name for t in fixed_tags(TagType.CATEGORY)] == [
        "F/F",
        "F/M",
        "Gen",
        "M/M",
        "Multi",
        "Other",
    ]


def test_every_fixed_tag_is_canonical_and_no_other_tag_has_a_fixed_type():
    fixed_names = set(fixed.RATINGS) | set(fixed.WARNINGS) | set(fixed.CATEGORIES)
    seeded = Tag.objects.filter(type__in=[TagType.RATING, TagType.WARNING, TagType.CATEGORY])
    assert set(seeded.values_list("name", flat=True)) == fixed_names
    assert not seeded.filter(canonical=False).exists()


def test_the_adult_ratings_are_ao3s():
    assert {"Not Rated", "Mature", "Explicit"} == fixed.ADULT_RATINGS


def test_the_choose_not_to_warning_is_stored_under_ao3s_name_and_shown_under_its_label():
    assert fixed.CHOOSE_NOT_TO_WARN == "Choose Not To Use Archive Warnings"
    assert fixed.WARNING_LABELS[fixed.CHOOSE_NOT_TO_WARN] == (
        "Creator Chose Not To Use Archive Warnings"
    )


def test_every_fixed_tag_has_a_symbol():
    assert set(fixed.RATING_SYMBOLS) == set(fixed.RATINGS)
    assert set(fixed.CATEGORY_SYMBOLS) == set(fixed.CATEGORIES)


def test_seeding_again_changes_nothing():
    before = list(Tag.objects.order_by("id").values_list("id", "name", "type", "canonical"))
    migration.seed(apps, None)
    assert list(Tag.objects.order_by("id").values_list("id", "name", "type", "canonical")) == (
        before
    )
