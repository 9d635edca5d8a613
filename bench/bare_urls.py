"""The app's URLs plus /bench/bare: a Django view returning a fixed page, the ceiling that
bench/serve.py compares the work page against.

The page is as many bytes as the work page being measured; the benchmark writes that size to
BENCH_BARE_SIZE_FILE (after fetching the work page from the running server) before the first
request here, and each worker reads it once.
"""

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

_page: bytes | None = None


def _build_page(size: int) -> bytes:
    head = b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>bare</title>'
    head += b"</head><body><p>"
    tail = b"</p></body></html>\n"
    filler = size - len(head) - len(tail)
    if filler < 0:
        return b"x" * size
    return head + (b"lorem ipsum " * (filler // 12 + 1))[:filler] + tail


def bare(request: HttpRequest) -> HttpResponse:
    global _page
    if _page is None:
        size = int(Path(os.environ["BENCH_BARE_SIZE_FILE"]).read_text())
        _page = _build_page(size)
    return HttpResponse(_page, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/bare", bare, name="bench-bare"),
    path("", include("quire.urls")),
]
