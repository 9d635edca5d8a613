from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from quire.news.queries import first_paragraph, newest_post
from quire.works.queries import blurb_page, visible_works


def home(request: HttpRequest) -> HttpResponse:
    page = blurb_page(visible_works(request.user), 1, viewer=request.user)
    news = newest_post()
    return render(
        request,
        "home.html",
        {
            "page": page,
            "news_post": news,
            "news_summary": first_paragraph(news.body) if news is not None else "",
        },
    )
