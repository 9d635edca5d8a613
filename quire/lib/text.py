"""Small text helpers shared by several apps."""

import re

_LEADING_ARTICLE = re.compile(r"^(a|an|the)\s+(.*)$", re.DOTALL)
_LEADING_DIGITS = re.compile(r"^(\d+)")


def title_sort_key(title: str) -> str:
    """AO3's title sort key (AO3.md §3): lower-cased; one leading quote, period or slash
    dropped; a leading "a", "an" or "the" moved to the end ("x, the"); leading digits
    zero-padded to width 5 so "9 Lives" sorts before "10 Lives"."""
    key = title.strip().lower()
    if key[:1] in {'"', "'", ".", "/", "\u201c", "\u2018"}:
        key = key[1:].lstrip()
    match = _LEADING_ARTICLE.match(key)
    if match:
        key = f"{match.group(2)}, {match.group(1)}"
    return _LEADING_DIGITS.sub(lambda digits: digits.group(1).zfill(5), key)


def has_control_character(text: str) -> bool:
    """Whether `text` holds a control character (below U+0020): no name, login or code can,
    and PostgreSQL refuses NUL in any text it is sent, so such a value is looked up nowhere."""
    return any(ord(char) < 32 for char in text)
