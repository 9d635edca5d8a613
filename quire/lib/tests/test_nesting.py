"""check_markup: nesting is measured before any parser sees the text, in linear time, and text
nested past MAX_NESTING is refused by every cleaning function (bench/hostile.py times it)."""

import pytest
import tinyhtml5
from hypothesis import given, settings
from hypothesis import strategies as st

from quire.lib.sanitize import (
    MAX_NESTING,
    MarkupTooDeep,
    check_markup,
    format_user_text,
    markup_depth,
    sanitize_html,
    strip_html,
)

# --- Refused --------------------------------------------------------------------------------


@pytest.mark.parametrize("clean", [sanitize_html, strip_html, format_user_text])
def test_a_guests_800_kb_of_divs_is_refused(clean):
    with pytest.raises(MarkupTooDeep) as refused:
        clean("<div>" * 160_000)
    assert f"more than {MAX_NESTING} elements deep" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "<div>" * (MAX_NESTING + 1),
        "<em>" * (MAX_NESTING + 1) + "x" + "</em>" * (MAX_NESTING + 1),
        "<span><div></span>" * MAX_NESTING,  # </span> stops at the <div>
        "<b><div></b>" * MAX_NESTING,  # the adoption agency keeps the depth
        # Each <b> is opened again in the next <div> (three identical ones at most).
        "".join(f"<div><b title={n}></div>" for n in range(MAX_NESTING)) + "x",
        '<a ="><div>' * MAX_NESTING,  # a quote after a bare "=" opens no value
        "<select><title></select>" + "<div>" * (MAX_NESTING + 1),  # no raw text in a select
        "<DIV>" * (MAX_NESTING + 1),
        "<svg><div></svg>" * MAX_NESTING,
        "<h2><span><h3></h2>" * MAX_NESTING,  # </h2> closes the <h3>
        "<form><div></form>" * MAX_NESTING,  # </form> leaves the <div> open
        "<td><b></td>" * (MAX_NESTING + 1),  # a cell outside a table is ignored
    ],
)
def test_markup_nested_past_the_limit_is_refused(text):
    with pytest.raises(MarkupTooDeep):
        check_markup(text)


# --- Kept ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<div>" * MAX_NESTING + "x",
        "<p>One</p>\n" * 20_000,
        "<p>one<p>two<p>three" * 1000,  # unclosed paragraphs close each other
        "<ul><li>a<li>b<li>c</ul>" * 1000,
        "<dl><dt>a<dd>b<dt>c<dd>d</dl>" * 1000,
        "<table><tr><td>a<td>b<tr><td>c</table>" * 1000,
        "line<br>" * 10_000 + "<hr><img src='x.png'>" * 1000,
        "<!-- " + "<div>" * 1000 + " -->",
        "<textarea>" + "<div>" * 1000 + "</textarea>",
        "<script>" + "<div>" * 1000 + "</script>",
        '<a title="' + "<div>" * 1000 + '">x</a>',
        "<div><span>x</div>" * 1000,  # </div> closes the span with it
        "<p><em>x</p>" * MAX_NESTING,  # sloppy, but the parser reopens one <em> at a time
        "a < b > c << d <",
        "<!DOCTYPE html><?xml?></ not a tag>" * 1000,
    ],
)
def test_well_formed_and_common_sloppy_markup_is_kept(text):
    check_markup(text)


def test_the_limit_is_not_reached_by_long_flat_texts():
    assert markup_depth("<p><em>Word</em> word.</p>" * 50_000) == 2


# --- The model never counts much shallower than an HTML5 parser nests ------------------------

TOKENS = [
    "<div>", "</div>", "<p>", "</p>", "<b>", "</b>", "<i>", "</i>", "<a>", "</a>", "<span>",
    "</span>", "<li>", "</li>", "<ul>", "</ul>", "<table>", "</table>", "<tr>", "</tr>",
    "<td>", "</td>", "<th>", "<tbody>", "<select>", "</select>", "<option>", "<form>",
    "</form>", "<h1>", "<h2>", "</h1>", "</h2>", "<object>", "</object>", "<marquee>",
    "</marquee>", "<button>", "</button>", "x", "<br>", "</br>", "<svg>", "</svg>", "<math>",
    "<mi>", "<textarea>", "</textarea>", "<title>", "<!--", "-->", "<b x>", "<caption>",
    "<colgroup>", "<col>", "<template>", "</template>", "<nobr>", "<dd>", "<dt>", "<dl>",
    "</dl>", "<pre>", "<input>", "<em>", "</em>", "<font>", "</font>", "<body>", "</body>",
    "<html>", "<frameset>", "<plaintext>", "<image>", '<a href="', '">', "<noscript>",
    "</noscript>", "<ruby>", "<rt>", "<rp>", "<center>", "<address>", "</address>",
]  # fmt: skip


def parsed_depth(text: str) -> int:
    """The depth of the tree a full HTML5 parser (tinyhtml5, WeasyPrint's) builds."""
    body = tinyhtml5.parse("<!DOCTYPE html><body>" + text).find(
        "{http://www.w3.org/1999/xhtml}body"
    )
    deepest, pending = 0, [(body, 0)]
    while pending:
        element, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in element)
    return deepest


@settings(max_examples=300, deadline=None)
@given(
    unit=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8),
    times=st.integers(1, 40),
)
def test_the_model_stays_within_a_small_multiple_of_a_real_parser(unit, times):
    text = "".join(unit) * times
    try:
        real = parsed_depth(text)
    except AssertionError:  # tinyhtml5 gives up on a few select and template soups
        return
    assert real <= 3 * markup_depth(text) + 3
