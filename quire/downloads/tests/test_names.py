"""File names as AO3 makes them (AO3.md §10)."""

import pytest

from quire.downloads.names import file_name


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("A Quiet Afternoon", "A_Quiet_Afternoon"),
        ("Tea &amp; Sympathy", "Tea_Sympathy"),
        ("Rock &#8217;n&#39; Roll", "Rock_n_Roll"),
        ("Café au lait, s'il vous plaît", "Cafe_au_lait_sil_vous"),
        ("Straße nach Øresund", "Strasse_nach_Oresund"),
        ("The Extraordinarily Long Title of Things", "The_Extraordinarily_Long"),
        ("Exactly twenty-four chars", "Exactly_twenty-four"),
        ("Supercalifragilisticexpialidocious!!", "Supercalifragilisticexpi"),
        ("under_scores and-dashes", "under_scores_and-dashes"),
        ("  spaced   out  ", "spaced_out"),
    ],
)
def test_it_cleans_titles_the_way_ao3_does(title, expected):
    assert file_name(title, 42) == expected


@pytest.mark.parametrize("title", ["", "   ", "!!!", "&amp;", "金色の夢", "Ωμέγα"])
def test_a_blank_result_becomes_work_and_id(title):
    assert file_name(title, 42) == "Work_42"


@pytest.mark.parametrize(("title", "expected"), [("A", "A_Work_7"), ("Hi!", "Hi_Work_7")])
def test_one_or_two_characters_get_the_id_after_them(title, expected):
    assert file_name(title, 7) == expected


def test_a_name_is_never_longer_than_24_characters():
    assert len(file_name("word " * 40, 1)) <= 24
    assert file_name("Hello Worldwide Wonderful Web", 1) == "Hello_Worldwide"
