"""Tag pages. For now a tag lists the works tagged with it directly; synonyms, metatags and
the filter table arrive with the wrangling issue (3)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from quire.works.queries import blurb_page, visible_works

from ..names import tag_from_url_part
from ..queries import tag_by_name


def _access_tag(escaped: str):
    tag = tag_by_name(tag_from_url_part(escaped))
    if tag is None:
        raise Http404("No such tag.")
    return tag


def tag_show(request: HttpRequest, tag: str) -> HttpResponse:
    row = _access_tag(tag)
    works = visible_works(request.user).filter(taggings__tag=row)
    return render(request, "tags/tag_show.html", {"tag": row, "works_count": works.count()})


def tag_works(request: HttpRequest, tag: str) -> HttpResponse:
    row = _access_tag(tag)
    page = blurb_page(
        visible_works(request.user).filter(taggings__tag=row), request.GET.get("page")
    )
    return render(request, "works/work_index.html", {"page": page, "heading_tag": row})
