"""The tokenizer and the query language (search/text.py)."""

import pytest

from quire.search.text import And, Not, Or, Term, parse_query, positive_terms, tokens


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Sherlock Holmes/John Watson", ["sherlock", "holmes", "john", "watson"]),
        ("Éponine THÉNARDIER", ["eponine", "thenardier"]),
        ("Straße ﬁne", ["strasse", "fine"]),
        ("don't x_y 2024-01", ["don", "t", "x", "y", "2024", "01"]),
        ("漢字テスト", ["漢", "字", "テ", "ス", "ト"]),
        ("abc漢字", ["abc", "漢", "字"]),
        ("", []),
        ("<b>...</b>", ["b", "b"]),
    ],
)
def test_tokens_are_folded_words_and_single_cjk_characters(text, words):
    assert tokens(text) == words


def test_words_are_anded_by_default():
    assert parse_query("tea biscuits") == And((Term(("tea",)), Term(("biscuits",))))


def test_a_quoted_phrase_is_one_term():
    assert parse_query('"John Watson"') == Term(("john", "watson"))


def test_or_binds_looser_than_and():
    assert parse_query("a b OR c") == Or((And((Term(("a",)), Term(("b",)))), Term(("c",))))


def test_not_and_minus_negate():
    assert parse_query("a NOT b -c") == And((Term(("a",)), Not(Term(("b",))), Not(Term(("c",)))))


def test_parentheses_group_and_field_prefixes_limit_a_term():
    assert parse_query("title:(tea cake) creators:alice") == And(
        (
            And((Term(("tea",), "title"), Term(("cake",), "title"))),
            Term(("alice",), "creators"),
        )
    )


def test_an_unknown_field_prefix_is_just_words():
    assert parse_query("colour:blue") == And((Term(("colour",)), Term(("blue",))))


@pytest.mark.parametrize("text", ["", "   ", "(((", "OR AND", ")", "NOT", '"', "- -"])
def test_queries_without_words_are_none_and_never_raise(text):
    assert parse_query(text) is None


def test_an_unclosed_quote_still_reads_as_a_phrase():
    assert parse_query('"unclosed phrase') == Term(("unclosed", "phrase"))


def test_positive_terms_skip_negated_ones():
    terms = positive_terms(parse_query('a "b c" NOT d -(e f)'))
    assert terms == [Term(("a",)), Term(("b", "c"))]


def test_a_run_longer_than_any_word_is_cut():
    assert tokens("a" * 5000 + " tea") == ["a" * 100, "tea"]
