from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from quire.works.queries import blurb_page, visible_works


def home(request: HttpRequest) -> HttpResponse:
    page = blurb_page(visible_works(request.user), 1, viewer=request.user)
    return render(request, "home.html", {"page": page})
