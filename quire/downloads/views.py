"""/downloads/:id/:file_name.:ext and /downloads/series/:id/:file_name.epub."""

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from quire.lib.http import login_redirect
from quire.works.queries import RestrictedWork, access_series, access_work

from . import formats
from .cache import cached_build, etag_for, series_file_key, work_file_key
from .names import series_file_name, work_file_name
from .queries import downloadable_series_works


@require_safe
def work_download(request: HttpRequest, work_id: int, file_name: str, ext: str) -> HttpResponseBase:
    fmt = formats.get_format(ext)
    if fmt is None:
        raise Http404("Quire does not make that kind of file here.")
    try:
        # Downloads are for readers: listed=True leaves out drafts and hidden works even for
        # their creators and admins, who may still read them on the site.
        work = access_work(request.user, work_id, listed=True)
    except RestrictedWork:
        return login_redirect(request)
    key = work_file_key(work, ext)
    return _serve(
        request,
        key,
        lambda: formats.build(work, ext),
        name=f"{work_file_name(work)}.{ext}",
        content_type=fmt.content_type,
        last_modified=work.updated_at,
        public=not work.restricted,
    )


@require_safe
def series_download(request: HttpRequest, series_id: int, file_name: str) -> HttpResponseBase:
    series = access_series(request.user, series_id)
    works = list(downloadable_series_works(series, request.user))
    if not works:
        raise Http404("This series has no works to download.")
    last_modified = max([series.updated_at, *(work.updated_at for work in works)])
    return _serve(
        request,
        series_file_key(series, works),
        lambda: formats.build_series_epub(series, works),
        name=f"{series_file_name(series)}.epub",
        content_type=formats.EPUB.content_type,
        last_modified=last_modified,
        public=not any(work.restricted for work in works),
    )


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
