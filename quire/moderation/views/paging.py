"""Pages of staff listings: the page number bounded (lib/numbers.py), the filters read safely."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from quire.lib.numbers import LAST_PAGE, bounded_int
from quire.lib.text import has_control_character

PER_PAGE = 25


def page_of(request: HttpRequest, items: QuerySet, per_page: int = PER_PAGE) -> Page:
    """The page ?page= names; any number past the end is the last page, anything else the
    first."""
    number = bounded_int(request.GET.get("page", ""), low=1, high=LAST_PAGE)
    return Paginator(items, per_page).get_page(number.value if number else 1)


def text_param(request: HttpRequest, name: str, max_length: int) -> str:
    """A filter typed into the query string, cut to `max_length`; "" when it holds a control
    character (no login or action name can, and PostgreSQL refuses NUL in any text)."""
    value = request.GET.get(name, "")[:max_length]
    return "" if has_control_character(value) else value
