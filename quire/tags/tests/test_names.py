"""Tag-name rules (AO3.md §2): splitting typed tag strings, limits, forbidden characters and
AO3's escaping of tag names in URLs."""

import pytest
from django.urls import reverse

from quire.tags.names import (
    FORBIDDEN_CHARACTERS,
    split_tag_names,
    tag_from_url_part,
    tag_name_errors,
    tag_to_url_part,
)
from quire.works.templatetags.quire_tags import tag_path

FULLWIDTH_COMMA = "\uff0c"
IDEOGRAPHIC_COMMA = "\u3001"


def test_tags_split_on_commas_of_every_kind():
    text = f"One, Two{FULLWIDTH_COMMA}Three{IDEOGRAPHIC_COMMA}Four"
    assert split_tag_names(text) == ["One", "Two", "Three", "Four"]


def test_names_are_trimmed_and_inner_space_collapsed():
    assert split_tag_names("  Jane   Bennet ,\tElizabeth\nBennet  ") == [
        "Jane Bennet",
        "Elizabeth Bennet",
    ]


def test_blank_names_are_dropped():
    assert split_tag_names(" , ,, Fluff ,  ") == ["Fluff"]
    assert split_tag_names("") == []
    assert split_tag_names(f" {FULLWIDTH_COMMA} {IDEOGRAPHIC_COMMA} ") == []


def test_duplicates_are_dropped_case_insensitively_keeping_the_first_spelling():
    assert split_tag_names("Fluff, fluff, FLUFF, Angst, angst ") == ["Fluff", "Angst"]
    assert split_tag_names("Straße, STRASSE") == ["Straße"]


def test_order_is_kept():
    assert split_tag_names("Zed, Alpha, Mid") == ["Zed", "Alpha", "Mid"]


def test_a_name_of_150_characters_is_fine_and_151_is_not():
    assert tag_name_errors("a" * 150) == []
    errors = tag_name_errors("a" * 151)
    assert len(errors) == 1
    assert "is too long (maximum is 150 characters)" in errors[0]


@pytest.mark.parametrize("character", sorted(FORBIDDEN_CHARACTERS))
def test_forbidden_characters_are_named_in_the_message(character):
    errors = tag_name_errors(f"Jane{character}Bennet")
    assert len(errors) == 1
    assert "contains characters tags can't have" in errors[0]
    assert character in errors[0].split(":")[-1]


def test_the_forbidden_set_is_ao3s():
    assert set(",^*<>{}=`\\%") | {FULLWIDTH_COMMA, IDEOGRAPHIC_COMMA} == FORBIDDEN_CHARACTERS


@pytest.mark.parametrize("name", ["Sherlock Holmes/John Watson", "Q&A", "Mr. Darcy?", "#1 Fan"])
def test_ordinary_punctuation_is_allowed(name):
    assert tag_name_errors(name) == []


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Sherlock Holmes/John Watson", "Sherlock Holmes*s*John Watson"),
        ("Q&A", "Q*a*A"),
        ("Mr. Darcy", "Mr*d* Darcy"),
        ("Why?", "Why*q*"),
        ("#1 Fan", "*h*1 Fan"),
        ("a/b&c.d?e#f", "a*s*b*a*c*d*d*q*e*h*f"),
        ("Plain", "Plain"),
    ],
)
def test_tag_urls_escape_and_unescape_as_ao3s(name, part):
    assert tag_to_url_part(name) == part
    assert tag_from_url_part(part) == name


def test_a_tag_works_url_is_escaped_then_percent_encoded():
    part = tag_to_url_part("Sherlock Holmes/John Watson")
    assert reverse("tags:tag-works", args=[part]) == (
        "/tags/Sherlock%20Holmes*s*John%20Watson/works"
    )
    assert tag_path("Sherlock Holmes/John Watson") == "Sherlock%20Holmes*s*John%20Watson"


def test_non_ascii_names_are_percent_encoded_as_utf8():
    assert reverse("tags:tag-works", args=[tag_to_url_part("東方")]) == (
        "/tags/%E6%9D%B1%E6%96%B9/works"
    )
