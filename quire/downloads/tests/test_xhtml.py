"""Stored HTML to XHTML: well-formed always, by the quick path or the tree walk."""

import pytest
from lxml import etree

from quire.downloads.xhtml import to_xhtml

BASE = "https://quire.example.org"


def well_formed(fragment: str) -> bool:
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')
    return True


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("<p>One<br>two</p>", "<p>One<br/>two</p>"),
        ("<p>A&nbsp;b &amp; c &lt;d&gt;</p>", "<p>A\u00a0b &amp; c &lt;d&gt;</p>"),
        ("<p>x</p><hr><p>y</p>", "<p>x</p><hr/><p>y</p>"),
        ('<p><a href="https://example.org/x" rel="nofollow">x</a></p>', None),
        ("", ""),
        ("   ", ""),
    ],
)
def test_plain_text_takes_the_quick_path(stored, expected):
    result = to_xhtml(stored, base_url=BASE)
    assert result == (stored if expected is None else expected)
    assert well_formed(result)


@pytest.mark.parametrize(
    "stored",
    [
        "<p>unclosed <em>emphasis</p>",
        "<p>a <b>b <i>c</b> d</i></p>",
        "text & more <p>then",
        "<p>&eacute;t&eacute; &bogus;</p>",
    ],
)
def test_broken_markup_still_comes_out_well_formed(stored):
    assert well_formed(to_xhtml(stored, base_url=BASE))


def test_relative_links_point_at_the_archive():
    result = to_xhtml('<p><a href="/works/3">three</a></p>', base_url=BASE)
    assert result == '<p><a href="https://quire.example.org/works/3">three</a></p>'
