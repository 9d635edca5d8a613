"""count_words: AO3's word count (AO3.md §4)."""

# Curly quotes, full-width punctuation and look-alike letters are the point of these tests.
# ruff: noqa: RUF001

from html.parser import HTMLParser

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from quire.lib.wordcount import count_words

# --- The checks AO3.md §4 lists --------------------------------------------------------------


def test_each_han_and_hiragana_character_is_a_word():
    assert count_words("一个简单の栗子") == 7


def test_chinese_mixed_with_latin_and_full_width_punctuation():
    assert count_words("“嘿Bob,” Alice说，‘啊？！？’") == 5


def test_pipes_separate_words():
    assert count_words("嘿|bob|说") == 3


def test_accented_latin_words_are_whole_words():
    assert count_words("zwölf naïve fiancés") == 3


def test_punctuation_around_english_words_does_not_count():
    assert count_words("\"Hey Bob,\" said Alice, 'Yay?!?'") == 5


def test_tags_are_word_breaks():
    assert count_words("<p>one</p>two<br>three") == 3


# --- Apostrophes, hyphens and dashes ---------------------------------------------------------


@pytest.mark.parametrize("text", ["don't", "don’t", "‘tis", "arm-rest", "well-to-do", "o'clock"])
def test_apostrophes_and_hyphens_join(text):
    assert count_words(text) == 1


@pytest.mark.parametrize("text", ["one--two", "one---two", "one—two", "one–two", "one -- two"])
def test_double_hyphens_and_dashes_separate(text):
    assert count_words(text) == 2


def test_a_double_hyphen_split_by_a_tag_is_no_break_inside_either_word():
    assert count_words("a-<em>-</em>b") == 2


def test_a_lone_dash_is_not_a_word():
    assert count_words("wait — what") == 2


# --- HTML ------------------------------------------------------------------------------------


def test_empty_text_has_no_words():
    assert count_words("") == 0


def test_markup_alone_has_no_words():
    assert count_words('<p></p><br><hr><img src="https://example.com/a.png" alt="alt text">') == 0


def test_attribute_values_do_not_count():
    text = '<a href="https://example.com/a b c" title="three more words">link</a>'
    assert count_words(text) == 1


def test_a_tag_inside_a_word_splits_it_as_ao3_does():
    assert count_words("wo<em>rd</em>") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("caf&eacute;", 1),
        ("don&rsquo;t", 1),
        ("don&#39;t", 1),
        ("a&#45;&#45;b", 2),
        ("Tom &amp; Jerry", 2),
        ("one&nbsp;two", 2),
        ("&hellip;&mdash;&quot;", 0),
    ],
)
def test_entities_are_decoded_first(text, expected):
    assert count_words(text) == expected


def test_escaped_markup_is_text():
    assert count_words("&lt;b&gt;bold&lt;/b&gt;") == 3  # "<b>bold</b>" as text: b, bold, b


def test_a_stray_less_than_sign_does_not_swallow_words():
    assert count_words("1 < 2 and 3<4") == 5


def test_newlines_and_tabs_are_breaks():
    assert count_words("one\ntwo\tthree\r\nfour") == 4


# --- Scripts ---------------------------------------------------------------------------------


def test_korean_counts_by_spaces():
    assert count_words("안녕하세요 세계, 반갑습니다!") == 3


def test_devanagari_with_combining_marks_is_one_word_per_space_separated_word():
    # Vowel signs and viramas are marks; Python's own \w would split at each of them.
    assert count_words("हिन्दी भाषा बहुत सुंदर है।") == 5


def test_each_thai_character_is_a_word():
    assert count_words("ไทย") == 3


def test_each_katakana_character_is_a_word():
    assert count_words("カタカナ") == 4


def test_the_prolonged_sound_mark_is_a_word_character_of_no_script():
    # "ー" is in the Common script, so AO3's rule makes it a run of its own.
    assert count_words("カード") == 3


def test_cjk_punctuation_never_counts():
    assert count_words("、。「」『』・！？") == 0


def test_han_next_to_latin_splits():
    assert count_words("Bob说hello") == 3


def test_cyrillic_and_greek_count_by_spaces():
    assert count_words("Привет мир. Γειά σου κόσμε") == 5


def test_arabic_counts_by_spaces():
    assert count_words("مرحبا بالعالم") == 2


def test_decomposed_accents_stay_in_their_word():
    assert count_words("cafe\u0301 nai\u0308ve") == 2


# --- Numbers, symbols, underscores -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1984", 1), ("in 1984 and 2001", 4), ("3.14", 2), ("1,000", 2), ("٣٤٥", 1)],
)
def test_digits_are_word_characters(text, expected):
    assert count_words(text) == expected


@pytest.mark.parametrize("text", ["!!! ... ???", "♥ ★ ☆ ©", "😀 🎉", "+ = % $ #", "² ½ Ⅻ ⓐ"])
def test_symbols_and_punctuation_never_count(text):
    assert count_words(text) == 0


def test_underscores_join():
    assert count_words("snake_case and __init__") == 3


def test_a_zero_width_joiner_is_a_break():
    assert count_words("one\u200dtwo") == 2


# --- Scale and the fast paths ----------------------------------------------------------------


def test_a_long_chapter_counts_every_paragraph():
    paragraph = "<p>“It wasn’t a dark -- and stormy -- night,” she said… café.</p>\n"
    assert count_words(paragraph) == 10
    assert count_words(paragraph * 5000) == 50000


def test_a_long_pure_ascii_chapter_counts_every_paragraph():
    assert count_words("<p>It was a dark and stormy night.</p>\n" * 5000) == 35000


def test_a_long_japanese_chapter_counts_every_character():
    # 14 kana and kanji, "ー" as a run of its own, and "Bob".
    assert count_words("<p>「カードを見てください」とBobは言った。</p>" * 1000) == 16000


# --- Against a slow reference ----------------------------------------------------------------
#
# AO3's algorithm done the obvious way: one text node at a time, with one regular expression.
# count_words replaces tags with spaces and takes faster paths, which must not change a count.

REFERENCE_SCRIPTS = r"\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}"
REFERENCE_WORD = regex.compile(
    rf"[{REFERENCE_SCRIPTS}]|(?:(?![{REFERENCE_SCRIPTS}])[\p{{L}}\p{{M}}\p{{Nd}}\p{{Pc}}])+"
)


class TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # text arrives with entities decoded
        self.nodes: list[str] = [""]

    def handle_starttag(self, tag, attrs):
        self.nodes.append("")

    def handle_endtag(self, tag):
        self.nodes.append("")

    def handle_data(self, data):
        self.nodes[-1] += data


def reference_count(text: str) -> int:
    parser = TextNodes()
    parser.feed(text)
    parser.close()
    count = 0
    for node in parser.nodes:
        words = node.replace("--", "—")
        words = regex.sub("['’‘-]", "", words)
        count += len(REFERENCE_WORD.findall(words))
    return count


ALPHABET = (
    "abcXYZ019_ éüñçø ßЖжΩω 一个简単の栗子カタカナー ภาษาไทย हिन्दी 안녕 مرحبا "
    "'’‘-—–…“”.,;:!?()[]/\\|*+=%$#@~^ \n\t\xa0\u3000、。「」！？ ♥★😀²½Ⅻⓐ\u0301\u200d"
)
chapter_text = st.lists(
    st.one_of(
        st.text(alphabet=ALPHABET, max_size=12),
        st.sampled_from(["<p>", "</p>", "<br>", "<em>", "</em>", '<a href="/x y">', "</a>"]),
        st.sampled_from(["&amp;", "&nbsp;", "&#39;", "&rsquo;", "&#45;", "&eacute;", "--"]),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(chapter_text)
def test_count_words_agrees_with_the_reference(text):
    assert count_words(text) == reference_count(text)
