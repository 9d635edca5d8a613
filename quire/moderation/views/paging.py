"""Pages of staff listings, with the page number bounded (lib/numbers.py)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from quire.lib.numbers import LAST_PAGE, bounded_int

PER_PAGE = 25


def page_of(request: HttpRequest, items: QuerySet, per_page: int = PER_PAGE) -> Page:
    """The page ?page= names; any number past the end is the last page, anything else the
    first."""
    number = bounded_int(request.GET.get("page", ""), low=1, high=LAST_PAGE)
    return Paginator(items, per_page).get_page(number.value if number else 1)
