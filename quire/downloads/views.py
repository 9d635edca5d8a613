"""/downloads/:id/:file_name.:ext and /downloads/series/:id/:file_name.epub."""

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from quire.lib.http import login_redirect
from quire.pages.permissions import downloads_refusal
from quire.works.queries import RestrictedWork, access_series

from . import formats
from .cache import cached_build, etag_for, series_file_key, work_file_key
from .names import series_file_name, work_file_name
from .queries import access_downloadable_work, downloadable_series_works

logger = logging.getLogger(__name__)


def _downloads_off(request: HttpRequest, refusal: str) -> HttpResponse:
    # The site's switch (staff's /staff/settings), before any work is read.
    return render(request, "pages/downloads_off.html", {"refusal": refusal}, status=403)


@require_safe
def work_download(request: HttpRequest, work_id: int, file_name: str, ext: str) -> HttpResponseBase:
    if refusal := downloads_refusal():
        return _downloads_off(request, refusal)
    fmt = formats.get_format(ext)
    if fmt is None:
        raise Http404("Quire does not make that kind of file here.")
    try:
        work = access_downloadable_work(request.user, work_id)
    except RestrictedWork:
        return login_redirect(request)
    key = work_file_key(work, ext)
    name = work_file_name(work)
    try:
        return _serve(
            request,
            key,
            lambda: formats.build(work, ext),
            name=f"{name}.{ext}",
            content_type=fmt.content_type,
            last_modified=work.updated_at,
            public=not work.restricted,
        )
    except formats.BuildFailed as failure:
        logger.warning("Could not build %s: %s", key, failure)
        others = [
            {
                "label": other.label,
                "url": reverse("downloads:work-download", args=[work.pk, name, other.ext]),
            }
            for other in formats.available_formats()
            if other.ext != ext
        ]
        return _failed(request, fmt.label, work=work, others=others)


@require_safe
def series_download(request: HttpRequest, series_id: int, file_name: str) -> HttpResponseBase:
    if refusal := downloads_refusal():
        return _downloads_off(request, refusal)
    series = access_series(request.user, series_id)
    works = list(downloadable_series_works(series, request.user))
    if not works:
        raise Http404("This series has no works to download.")
    last_modified = max([series.updated_at, *(work.updated_at for work in works)])
    key = series_file_key(series, works)
    try:
        return _serve(
            request,
            key,
            lambda: formats.build_series_epub(series, works),
            name=f"{series_file_name(series)}.epub",
            content_type=formats.EPUB.content_type,
            last_modified=last_modified,
            public=not any(work.restricted for work in works),
        )
    except formats.BuildFailed as failure:
        logger.warning("Could not build %s: %s", key, failure)
        return _failed(request, formats.EPUB.label, work=None, others=[])


def _failed(request: HttpRequest, label: str, *, work, others: list) -> HttpResponse:
    """The file cannot be made from this version (remembered: nothing is built again until
    the work changes). 503: the server cannot serve it now, and a later version may work."""
    response = render(
        request,
        "downloads/download_failed.html",
        {"label": label, "work": work, "others": others},
        status=503,
    )
    response["Cache-Control"] = "no-cache"
    return response


def _serve(request, key, build, *, name, content_type, last_modified, public) -> HttpResponseBase:
    etag = etag_for(key)
    # The ETag alone decides: it names the work's version, which changes with everything a
    # file shows, while updated_at does not (a series renamed, say).
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _headers(not_modified, etag, last_modified, public)
    found = cached_build(key, build)
    response = FileResponse(found.open(), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    return _headers(response, etag, last_modified, public)


def _headers(
    response: HttpResponseBase, etag: str, last_modified, public: bool
) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    # Revalidated each time (a 304 costs two queries): the same URL serves a newer file as soon
    # as the work changes. Restricted works are for logged-in readers only, never a shared cache.
    response["Cache-Control"] = "public, no-cache" if public else "private, no-cache"
    return response
