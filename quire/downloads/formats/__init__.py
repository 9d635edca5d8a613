"""The download formats: one module per kind of file, a registry list in AO3's menu order.

Public API (other apps use these):
- `build(work, fmt) -> bytes`: the file of a work the caller fetched through access_work;
  fmt is "html", "epub", "pdf", "azw3" or "mobi". No caching (see quire.downloads.cache).
  Raises `BuildFailed` when the work cannot be made into that file.
- `build_series_epub(series, works) -> bytes`: one EPUB holding `works` as its parts.
- `available_formats()`: the formats this machine can build, in AO3's order.
- `quire.downloads.names.work_file_name(work)`: the file name without extension.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from quire.downloads.queries import WorkContent, work_content

from . import calibre, epub, html, pdf
from .failures import BuildFailed

__all__ = ["FORMATS", "BuildFailed", "available_formats", "build", "build_series_epub"]


@dataclass(frozen=True)
class Format:
    ext: str
    label: str
    content_type: str
    render: Callable[[WorkContent], bytes]
    needs_calibre: bool = False

    def available(self) -> bool:
        return not self.needs_calibre or calibre.ebook_convert() is not None


def _calibre(ext: str) -> Callable[[WorkContent], bytes]:
    def render(content: WorkContent) -> bytes:
        return calibre.convert(epub.render(content), ext)

    return render


AZW3 = Format("azw3", "AZW3", "application/vnd.amazon.ebook", _calibre("azw3"), True)
EPUB = Format(epub.EXT, epub.LABEL, epub.CONTENT_TYPE, epub.render)
MOBI = Format("mobi", "MOBI", "application/x-mobipocket-ebook", _calibre("mobi"), True)
PDF = Format(pdf.EXT, pdf.LABEL, pdf.CONTENT_TYPE, pdf.render)
HTML = Format(html.EXT, html.LABEL, html.CONTENT_TYPE, html.render)

# AO3's order in the work page's Download menu (AO3.md §9).
FORMATS = [AZW3, EPUB, MOBI, PDF, HTML]
BY_EXT = {fmt.ext: fmt for fmt in FORMATS}


def available_formats() -> list[Format]:
    return [fmt for fmt in FORMATS if fmt.available()]


def get_format(ext: str) -> Format | None:
    fmt = BY_EXT.get(ext)
    return fmt if fmt is not None and fmt.available() else None


def build(work, fmt: str) -> bytes:
    """The bytes of `work`'s download in format `fmt` (built now, never cached)."""
    chosen = get_format(fmt)
    if chosen is None:
        raise ValueError(f"Quire cannot build {fmt!r} files here")
    content = work_content(work)
    with _failures_as_build_failed():
        return chosen.render(content)


def build_series_epub(series, works) -> bytes:
    from .series import render_series

    works = list(works)
    with _failures_as_build_failed():
        return render_series(series, works)


@contextmanager
def _failures_as_build_failed() -> Iterator[None]:
    # What a renderer throws on text it cannot handle (lxml on pathological markup, a
    # converter giving up) is a failure of this version, remembered like any other.
    # Files are kept per version and served to everyone: their dates are the site's, never
    # the time zone of the reader whose request built them.
    try:
        with timezone.override(settings.TIME_ZONE):
            yield
    except (RecursionError, MemoryError, ValueError, OSError) as error:
        raise BuildFailed(f"{type(error).__name__}: {error}"[:500]) from error
