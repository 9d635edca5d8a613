"""format_user_text: AO3's "add paragraphs" (AO3.md §5), then sanitizing, idempotently."""

import html
import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quire.lib.sanitize import ALLOWED_TAGS, MAX_NESTING, MarkupTooDeep, format_user_text

# --- Line breaks become markup ---------------------------------------------------------------


def test_empty_text_gives_empty_string():
    assert format_user_text("") == ""


def test_whitespace_only_text_gives_empty_string():
    assert format_user_text(" \n\t\r\n \n") == ""


def test_a_line_becomes_a_paragraph():
    assert format_user_text("Hello there.") == "<p>Hello there.</p>"


def test_a_single_newline_becomes_a_line_break():
    assert format_user_text("one\ntwo") == "<p>one<br>two</p>"


def test_a_blank_line_starts_a_new_paragraph():
    assert format_user_text("one\n\ntwo") == "<p>one</p>\n<p>two</p>"


def test_spaces_around_the_newlines_do_not_matter():
    assert format_user_text("one  \n \t \n  two") == "<p>one</p>\n<p>two</p>"


def test_two_blank_lines_add_a_spacer_paragraph_as_ao3_does():
    assert format_user_text("one\n\n\ntwo") == "<p>one</p>\n<p>&nbsp;</p>\n<p>two</p>"


def test_windows_and_old_mac_line_endings_count_as_newlines():
    assert format_user_text("one\r\ntwo\r\rthree") == "<p>one<br>two</p>\n<p>three</p>"


def test_leading_and_trailing_blank_lines_are_dropped():
    assert format_user_text("\n\n\nmiddle\n\n\n") == "<p>middle</p>"


def test_indentation_with_no_break_or_ideographic_spaces_is_kept():
    output = format_user_text("one\n\xa0\xa0two\n\u3000three")
    assert output == "<p>one<br>&nbsp;&nbsp;two<br>\u3000three</p>"


def test_two_line_breaks_in_a_row_split_the_paragraph():
    assert format_user_text("one<br><br>two") == "<p>one</p>\n<p>two</p>"


def test_three_line_breaks_in_a_row_add_a_spacer_paragraph():
    expected = "<p>one</p>\n<p>&nbsp;</p>\n<p>two</p>"
    assert format_user_text("one<br /><br /><br />two") == expected


def test_a_line_break_followed_by_a_newline_is_one_break():
    assert format_user_text("one<br>\ntwo") == "<p>one<br>two</p>"


def test_loose_inline_markup_goes_inside_the_paragraph():
    assert format_user_text("a <em>b</em> <img src='https://example.com/i.png'> c") == (
        '<p>a <em>b</em> <img src="https://example.com/i.png"> c</p>'
    )


def test_emphasis_across_a_blank_line_is_split_into_both_paragraphs():
    assert format_user_text("<em>one\n\ntwo</em> three") == (
        "<p><em>one</em></p>\n<p><em>two</em> three</p>"
    )


def test_a_split_element_keeps_its_attributes_in_both_halves():
    assert format_user_text('<span title="t">one\n\ntwo</span>') == (
        '<p><span title="t">one</span></p>\n<p><span title="t">two</span></p>'
    )


def test_a_newline_inside_emphasis_becomes_a_line_break():
    assert format_user_text("<strong>one\ntwo</strong>") == "<p><strong>one<br>two</strong></p>"


# --- Structure the writer already wrote is left alone ----------------------------------------


def test_paragraphs_on_separate_lines_pass_through_unchanged():
    assert format_user_text("<p>one</p>\n<p>two</p>") == "<p>one</p>\n<p>two</p>"


def test_paragraphs_on_one_line_get_no_line_break_between_them():
    assert format_user_text("<p>one</p><p>two</p>") == "<p>one</p>\n<p>two</p>"


def test_blank_lines_between_paragraphs_add_nothing():
    assert format_user_text("<p>one</p>\n\n\n<p>two</p>") == "<p>one</p>\n<p>two</p>"


def test_newlines_inside_a_paragraph_are_left_as_written():
    assert format_user_text("<p>one\ntwo</p>") == "<p>one\ntwo</p>"


def test_paragraph_attributes_are_kept():
    assert format_user_text('<p align="center">x</p>') == '<p align="center">x</p>'


def test_empty_paragraphs_are_dropped():
    assert format_user_text("<p>one</p><p></p><p>two</p>") == "<p>one</p>\n<p>two</p>"


def test_pre_keeps_its_newlines():
    assert format_user_text("<pre>line one\n\nline two</pre>") == "<pre>line one\n\nline two</pre>"


def test_lists_get_no_line_breaks():
    text = "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert format_user_text(text) == text


def test_ordered_and_definition_lists_get_no_line_breaks():
    text = "<ol>\n<li>a\nb</li>\n</ol>\n<dl>\n<dt>t</dt>\n<dd>d</dd>\n</dl>"
    assert "<br>" not in format_user_text(text)


def test_tables_get_no_line_breaks():
    output = format_user_text("<table>\n<tr>\n<td>a\nb</td>\n</tr>\n</table>")
    assert "<br>" not in output
    assert "<p>" not in output


def test_text_around_a_list_becomes_paragraphs():
    assert format_user_text("before\n<ul><li>item</li></ul>\nafter") == (
        "<p>before</p>\n<ul><li>item</li></ul>\n<p>after</p>"
    )


def test_headings_and_rules_get_no_line_breaks_after_them():
    assert format_user_text("<h2>Title</h2>\nText\n<hr>\nMore") == (
        "<h2>Title</h2>\n<p>Text</p>\n<hr>\n<p>More</p>"
    )


def test_text_in_a_blockquote_gets_paragraphs():
    assert format_user_text("<blockquote>one\n\ntwo</blockquote>") == (
        "<blockquote><p>one</p>\n<p>two</p></blockquote>"
    )


def test_text_in_a_div_gets_paragraphs():
    assert format_user_text("<div>one\ntwo</div>\n<div>three</div>") == (
        "<div><p>one<br>two</p></div>\n<div><p>three</p></div>"
    )


def test_details_summary_is_left_alone_and_its_body_gets_paragraphs():
    assert format_user_text("<details><summary>Spoiler</summary>one\n\ntwo</details>") == (
        "<details><summary>Spoiler</summary>\n<p>one</p>\n<p>two</p></details>"
    )


def test_inline_element_holding_a_block_is_not_put_in_a_paragraph():
    # <p><em><div> would be re-parsed as two paragraphs, so the <em> stays outside.
    output = format_user_text("<em><div>x</div>y</em>")
    assert output == "<em><div><p>x</p></div>\n<p>y</p></em>"
    assert format_user_text(output) == output


def test_a_link_holding_a_block_is_left_as_it_is():
    assert format_user_text('<a href="/x"><div>x</div></a>') == (
        '<a href="/x" rel="nofollow"><div>x</div></a>'
    )


# --- Sanitizing still happens ----------------------------------------------------------------


def test_scripts_are_removed():
    assert format_user_text("one<script>alert(1)</script>\n\ntwo") == "<p>one</p>\n<p>two</p>"


def test_event_handlers_are_removed():
    assert format_user_text('<p onclick="alert(1)">x</p>') == "<p>x</p>"


def test_classes_are_kept_only_when_allowed():
    assert format_user_text('<p class="note">x</p>') == "<p>x</p>"
    assert format_user_text('<p class="note">x</p>', allow_class=True) == '<p class="note">x</p>'


def test_text_that_is_only_a_script_gives_empty_string():
    assert format_user_text("<script>alert(1)</script>") == ""


def test_entities_survive():
    assert format_user_text("Tom &amp; Jerry &lt;3") == "<p>Tom &amp; Jerry &lt;3</p>"


# --- Idempotence and robustness --------------------------------------------------------------

EXAMPLES = [
    "Hello",
    "one\ntwo\n\nthree\n\n\nfour",
    "<p>one</p>\n<p>two</p>",
    "<em>a\n\nb</em> c\n<strong>d\ne</strong>",
    "<blockquote>q1\n\nq2<blockquote>inner\nline</blockquote></blockquote>",
    "<ul><li>a\n\nb</li></ul>text",
    "<pre>\n\ncode\n</pre>\nafter",
    "<div>x<p>y</p>z</div>",
    "<p>a<object><p>b</p></object>c</p>",
    "<table><tr><td>a\n\nb</td></tr></table>\n\nafter",
    "<details open><summary>s</summary>a\n\nb</details>",
    "<center>centered\ntext</center>",
    "<span>a<br><br><br>b</span>",
    "<dfn><p></p></dfn>",
    "a<p></p>b",
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>\n字",
]


def test_formatting_twice_changes_nothing():
    for text in EXAMPLES:
        once = format_user_text(text)
        assert format_user_text(once) == once, text


def test_inline_markup_nested_to_the_limit_is_formatted():
    text = "<em>" * (MAX_NESTING - 1) + "one\n\ntwo"
    once = format_user_text(text)
    assert "one" in once
    assert format_user_text(once) == once


def test_blocks_nested_to_the_limit_are_formatted():
    text = "<div>" * (MAX_NESTING - 1) + "one\n\ntwo"
    once = format_user_text(text)
    assert "one" in once
    assert format_user_text(once) == once


@pytest.mark.parametrize("tag", ["em", "div"])
def test_markup_nested_deeper_is_refused(tag):
    with pytest.raises(MarkupTooDeep):
        format_user_text(f"<{tag}>" * 3000 + "one\n\ntwo")


def test_a_long_chapter_keeps_every_paragraph():
    text = "\n\n".join(f"Paragraph {number}." for number in range(3000))
    output = format_user_text(text)
    assert output.count("<p>") == 3000
    assert "<br>" not in output


# --- Properties ------------------------------------------------------------------------------

TAGS = sorted(ALLOWED_TAGS | {"object", "button", "marquee", "font", "script", "svg"})
writing = st.lists(
    st.one_of(
        st.text(alphabet="ab \n\t\xa0", max_size=8),
        st.sampled_from(["\n", "\n\n", "\n\n\n", "<br>", "&amp;", "&nbsp;", "<p>", "</p>"]),
        st.sampled_from(TAGS).map(lambda tag: f"<{tag}>"),
        st.sampled_from(TAGS).map(lambda tag: f"</{tag}>"),
        st.sampled_from(['<a href="/x">', '<img src="https://example.com/i.png">']),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(writing, st.booleans())
def test_format_user_text_is_idempotent(text, allow_class):
    once = format_user_text(text, allow_class=allow_class)
    assert format_user_text(once, allow_class=allow_class) == once


@settings(max_examples=200, deadline=None)
@given(writing)
def test_format_user_text_only_emits_allowed_elements(text):
    output = format_user_text(text)
    wrapper = lxml.html.fragment_fromstring(output, create_parent="div")
    assert {element.tag for element in wrapper.iter() if element is not wrapper} <= ALLOWED_TAGS


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n", max_size=60))
def test_plain_text_keeps_every_word(text):
    # Tags count as spaces here: "a<br>b" is still two words.
    plain = html.unescape(re.sub(r"<[^>]+>", " ", format_user_text(text)))
    assert plain.split() == text.split()
