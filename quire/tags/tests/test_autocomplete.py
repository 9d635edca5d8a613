"""GET /autocomplete/<type>?term=...: the posting form's suggestions. Prefix matches before
word matches, canonical before not, alphabetical within each, 15 at most; characters and
relationships narrowed to the fandoms already typed; bad input refused plainly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.tags.actions import (
    do_add_parent,
    do_find_or_create_tags,
    do_index_tag_words,
    do_make_synonym,
    do_set_canonical,
    tag_name_tails,
)
from quire.tags.models import AutocompleteWord, Tag, TagType
from quire.tags.queries import AUTOCOMPLETE_LIMIT, _prefix_end

from .wrangling_helpers import put_in_use

pytestmark = pytest.mark.django_db

AUTOCOMPLETE_BUDGET = 5


def tag(name: str, tag_type=TagType.CHARACTER, *, canonical: bool = False) -> Tag:
    """A tag others may see: canonical, or used by a posted work."""
    (row,) = do_find_or_create_tags([name], tag_type)
    if canonical:
        return do_set_canonical(row, True)
    put_in_use(row)
    return row


def names(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return [item["name"] for item in response.json()]


def test_the_answer_is_a_json_list_of_ids_and_names(client):
    sherlock = tag("Sherlock Holmes", canonical=True)
    response = client.get("/autocomplete/character?term=sher")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [{"id": sherlock.pk, "name": "Sherlock Holmes"}]


def test_prefix_matches_come_before_word_matches_and_canonical_tags_first(client):
    tag("Young Holmes")  # word match, not canonical
    tag("Mycroft Holmes", canonical=True)  # word match, canonical
    tag("holmesian deduction")  # prefix, not canonical
    tag("Holmes Family", canonical=True)  # prefix, canonical
    tag("Homer")  # no match
    assert names(client, "/autocomplete/character?term=Holm") == [
        "Holmes Family",
        "holmesian deduction",
        "Mycroft Holmes",
        "Young Holmes",
    ]


def test_a_word_match_can_span_words_and_punctuation(client):
    tag("Sherlock Holmes/John Watson", TagType.RELATIONSHIP)
    tag("John Watson/Mary Morstan", TagType.RELATIONSHIP)
    assert names(client, "/autocomplete/relationship?term=john%20wat") == [
        "John Watson/Mary Morstan",
        "Sherlock Holmes/John Watson",
    ]
    assert names(client, "/autocomplete/relationship?term=sherlock%20holmes/j") == [
        "Sherlock Holmes/John Watson"
    ]
    assert names(client, "/autocomplete/relationship?term=watson/j") == []
    assert names(client, "/autocomplete/relationship?term=MARY") == ["John Watson/Mary Morstan"]


def test_matching_ignores_case_and_spacing_and_handles_accents(client):
    tag("Éponine Thénardier", canonical=True)
    assert names(client, "/autocomplete/character?term=%C3%89PON") == ["Éponine Thénardier"]
    assert names(client, "/autocomplete/character?term=%C3%A9pon") == ["Éponine Thénardier"]
    assert names(client, "/autocomplete/character?term=th%C3%A9n") == ["Éponine Thénardier"]
    assert names(client, "/autocomplete/character?term=%20%20%C3%A9ponine%20%20th") == [
        "Éponine Thénardier"
    ]
    assert names(client, "/autocomplete/character?term=eponine") == []


def test_a_tag_matching_twice_is_suggested_once(client):
    tag("Tea and More Tea")
    assert names(client, "/autocomplete/character?term=tea") == ["Tea and More Tea"]
    tag("Mad Hatter's Tea Tea Party")
    assert names(client, "/autocomplete/character?term=tea") == [
        "Tea and More Tea",
        "Mad Hatter's Tea Tea Party",
    ]


def test_suggestions_stop_at_the_limit(client):
    for number in range(AUTOCOMPLETE_LIMIT + 5):
        tag(f"Extra {number:02}")
        tag(f"An Extra {number:02}", canonical=True)
    found = names(client, "/autocomplete/character?term=extra")
    assert len(found) == AUTOCOMPLETE_LIMIT
    assert found == [f"Extra {number:02}" for number in range(AUTOCOMPLETE_LIMIT)]


def test_only_tags_of_the_asked_type_are_suggested(client):
    tag("Sherlock (TV)", TagType.FANDOM, canonical=True)
    tag("Sherlock Holmes", TagType.CHARACTER, canonical=True)
    tag("Sherlock Holmes/John Watson", TagType.RELATIONSHIP)
    tag("Sherlock Holmes Being an Idiot", TagType.FREEFORM)
    assert names(client, "/autocomplete/fandom?term=sherlock") == ["Sherlock (TV)"]
    assert names(client, "/autocomplete/character?term=sherlock") == ["Sherlock Holmes"]
    assert names(client, "/autocomplete/relationship?term=sherlock") == [
        "Sherlock Holmes/John Watson"
    ]
    assert names(client, "/autocomplete/freeform?term=sherlock") == [
        "Sherlock Holmes Being an Idiot"
    ]


@pytest.fixture(params=["from the children", "from the name range"])
def two_fandoms(request, monkeypatch):
    # Small fandoms are narrowed from their children, big ones from the name range: both
    # ways must agree.
    if request.param == "from the name range":
        monkeypatch.setattr("quire.tags.queries.NARROW_FROM_CHILDREN_MAX", 0)
    sherlock = tag("Sherlock (TV)", TagType.FANDOM, canonical=True)
    elementary = tag("Elementary (TV)", TagType.FANDOM, canonical=True)
    do_make_synonym(tag("BBC Sherlock", TagType.FANDOM), sherlock)
    for name, parent in (
        ("John Watson (Sherlock)", sherlock),
        ("Joan Watson", elementary),
        ("John Watson (Elementary)", elementary),
    ):
        do_add_parent(tag(name, canonical=True), parent)
    do_add_parent(tag("Joan Watson/Sherlock Holmes", TagType.RELATIONSHIP), elementary)
    tag("Jo Watson")  # no fandom yet
    return sherlock, elementary


def test_characters_and_relationships_are_narrowed_to_the_typed_fandoms(client, two_fandoms):
    url = "/autocomplete/character?term=jo"
    assert names(client, url) == [
        "Joan Watson",
        "John Watson (Elementary)",
        "John Watson (Sherlock)",
        "Jo Watson",
    ]
    assert names(client, url + "&fandoms=Sherlock%20(TV)") == ["John Watson (Sherlock)"]
    assert names(client, url + "&fandoms=elementary%20(tv)") == [
        "Joan Watson",
        "John Watson (Elementary)",
    ]
    # Several fandoms, a synonym standing for its canonical, stray commas and spaces.
    assert names(client, url + "&fandoms=,BBC%20Sherlock%20,%20Elementary%20(TV),") == [
        "Joan Watson",
        "John Watson (Elementary)",
        "John Watson (Sherlock)",
    ]
    # Word matches are narrowed too.
    assert names(client, "/autocomplete/character?term=watson&fandoms=Sherlock%20(TV)") == [
        "John Watson (Sherlock)"
    ]
    assert names(client, "/autocomplete/relationship?term=sher&fandoms=Elementary%20(TV)") == [
        "Joan Watson/Sherlock Holmes"
    ]
    assert names(client, "/autocomplete/relationship?term=sher&fandoms=Sherlock%20(TV)") == []


def test_fandoms_that_are_new_or_unknown_narrow_nothing(client, two_fandoms):
    tag("Brand New Show", TagType.FANDOM)
    everyone = names(client, "/autocomplete/character?term=jo")
    assert len(everyone) == 4
    assert names(client, "/autocomplete/character?term=jo&fandoms=Brand%20New%20Show") == everyone
    assert names(client, "/autocomplete/character?term=jo&fandoms=Never%20Heard%20Of") == everyone
    # Fandoms and freeforms are never narrowed.
    assert names(client, "/autocomplete/fandom?term=el&fandoms=Sherlock%20(TV)") == [
        "Elementary (TV)"
    ]


def test_word_matches_consider_a_bounded_number_of_words(client, monkeypatch):
    monkeypatch.setattr("quire.tags.queries.WORD_CANDIDATES", 2)
    tag("The Watson A")
    tag("The Watson B")
    tag("The Watson C")
    # The first two words in code point order: a bounded scan for a common word.
    assert names(client, "/autocomplete/character?term=wats") == ["The Watson A", "The Watson B"]
    assert names(client, "/autocomplete/character?term=watson%20c") == ["The Watson C"]


def test_an_unknown_type_is_a_404(client):
    for tag_type in ("rating", "warning", "media", "unsorted", "bogus", "Fandom"):
        assert client.get(f"/autocomplete/{tag_type}?term=a").status_code == 404, tag_type


def test_a_missing_blank_or_overlong_term_is_refused_with_a_message(client):
    for query in ("", "?term=", "?term=%20%20", f"?term={'a' * 151}"):
        response = client.get(f"/autocomplete/character{query}")
        assert response.status_code == 400, query
        assert set(response.json()) == {"error"}, query


def test_terms_no_tag_can_have_find_nothing(client):
    tag("Fluff", TagType.FREEFORM)
    for term in ("%00", "fl%00", "%2A", "fl%25", "fl_ff", "%F4%8F%BF%BF", "%EF%BF%BF"):
        assert names(client, f"/autocomplete/freeform?term={term}") == [], term


def test_the_range_end_is_the_next_string_by_code_point():
    assert _prefix_end("abc") == "abd"
    assert _prefix_end("a\ud7ff") == "a\ue000"
    assert _prefix_end("a\U0010ffff") is None


def test_tags_get_their_words_when_created_and_renamed():
    row = tag("Sherlock Holmes/John Watson", TagType.RELATIONSHIP)
    tails = set(AutocompleteWord.objects.filter(tag=row).values_list("tail", flat=True))
    assert tails == {"holmes/john watson", "john watson", "watson"}
    assert tag_name_tails("one") == set()
    row.name = "Mary Morstan"
    row.name_key = "mary morstan"
    row.save()
    do_index_tag_words([row])
    assert list(AutocompleteWord.objects.filter(tag=row).values_list("tail", flat=True)) == [
        "morstan"
    ]


def test_renaming_a_tag_in_the_admin_renews_its_words(admin_client_, client):
    row = tag("Jon Watson")
    response = admin_client_.post(
        f"/admin/tags/tag/{row.pk}/change/",
        {"name": "Jon Snow", "type": "character", "merger": "", "_save": "Save"},
    )
    assert response.status_code == 302
    assert names(client, "/autocomplete/character?term=snow") == ["Jon Snow"]
    assert names(client, "/autocomplete/character?term=watson") == []


def test_tags_that_existed_before_the_word_table_have_their_words():
    # The fixed tags come from an earlier migration; 0006 filled in their words.
    audiences = Tag.objects.get(name="General Audiences")
    assert AutocompleteWord.objects.filter(tag=audiences, tail="audiences").exists()


def test_a_lookup_is_a_few_queries_whatever_it_finds(client, two_fandoms):
    for number in range(40):
        tag(f"Jo {number}", canonical=number % 2 == 0)
    for url in (
        "/autocomplete/character?term=jo",  # prefix matches alone fill the list
        "/autocomplete/character?term=watson",  # word matches
        "/autocomplete/character?term=jo&fandoms=Sherlock%20(TV),Elementary%20(TV)",
        "/autocomplete/character?term=zzz",  # every step, nothing found
    ):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        assert len(captured) <= AUTOCOMPLETE_BUDGET, (url, len(captured))
