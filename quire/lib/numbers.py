"""Whole numbers typed into a URL, read so that no value can reach the database or numpy out of
range (issue 11: a 20-digit count, a tag id past 32 bits or page 10**30 used to be a 500).

Only ASCII digits count: `str.isdigit()` says yes to "²" and "١٢", which `int()` refuses or
reads as another number, and "1e400", "NaN" and "inf" are not whole numbers at all.
"""

import re
from typing import NamedTuple

INT64_MAX = 2**63 - 1  # SQLite's and PostgreSQL's integers are 64-bit signed
UINT32_MAX = 2**32 - 1  # the search index packs tag ids into uint32s
LAST_PAGE = 10**9  # stands for "the last page": engines and paginators clamp it to the end

_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)


class Bounded(NamedTuple):
    value: int
    clamped: bool  # the typed number was outside low..high


def bounded_int(raw: str, *, low: int = 0, high: int = INT64_MAX) -> Bounded | None:
    """The whole number `raw` spells (ASCII digits, an optional sign, spaces around), moved
    into low..high; None when it is not one. Any number of digits is read: Python's int()
    refuses more than 4,300, and every such number is past any bound anyway."""
    text = raw.strip()
    if not _WHOLE.fullmatch(text):
        return None
    negative = text.startswith("-")
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 20:  # past 64 bits whatever the digits
        return Bounded(low if negative else high, True)
    number = -int(digits) if negative else int(digits)
    if number < low:
        return Bounded(low, True)
    if number > high:
        return Bounded(high, True)
    return Bounded(number, False)


def page_number(raw: str | None, *, last: int = LAST_PAGE) -> int:
    """A ?page= as Django's Paginator.get_page reads it: not a whole number, the first page;
    zero, negative or past `last`, `last` (which the paginator or engine takes as "the last
    page"). Always 1..last, so `(page - 1) * per_page` fits any database's OFFSET."""
    bounded = bounded_int(raw or "", low=-1, high=last)
    if bounded is None:
        return 1
    return bounded.value if bounded.value > 0 else last
