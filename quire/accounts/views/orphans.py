"""Orphaning (AO3's /orphans and /orphans/new?work_id=|series_id=|pseud_id=, or none of them
for all of one's works): the confirmation page, then the move to the orphan account."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.numbers import bounded_int
from quire.works.queries import access_series, access_work, own_series, own_works

from ..actions import ORPHAN_USERNAME, do_orphan
from ..forms import OrphanForm
from ..models import Pseud, User
from ..queries import find_user

PARAMS = ("work_id", "series_id", "pseud_id")


def orphan_index(request: HttpRequest) -> HttpResponse:
    """GET: what orphaning is. POST: orphan what the confirmation page named."""
    if request.method == "POST":
        return orphan_create(request)
    return render(
        request, "accounts/orphan_index.html", {"orphan_account": find_user(ORPHAN_USERNAME)}
    )


@login_required
def orphan_new(request: HttpRequest) -> HttpResponse:
    target = _target(request, request.GET)
    return render(request, "accounts/orphan_new.html", {"form": OrphanForm(), **target})


@login_required
def orphan_create(request: HttpRequest) -> HttpResponse:
    target = _target(request, request.POST)
    form = OrphanForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/orphan_new.html", {"form": form, **target})
    works, series = target["works"], target["series"]
    do_orphan(
        cast(User, request.user),
        work_ids=[work.pk for work in works],
        series_ids=[one.pk for one in series],
        pseuds=[target["pseud"]] if target["pseud"] is not None else None,
        keep_name=form.cleaned_data["use_default"] != "true",
    )
    messages.success(request, "Orphaning was successful.")
    return redirect("accounts:dashboard", login=request.user.get_username())


def _target(request: HttpRequest, params) -> dict:
    """What is to be orphaned: one work, one series (with the user's works in it), one pseud's
    works and series, or every work and series of the user. Someone else's, or a missing one,
    is a 404."""
    user = cast(User, request.user)
    named = {name: params.get(name, "") for name in PARAMS if params.get(name, "")}
    if len(named) > 1:
        raise Http404("Orphan one thing at a time.")
    ids: dict[str, int] = {}
    for name, value in named.items():
        number = bounded_int(value, low=1)
        if number is None or number.clamped:
            raise Http404("No such thing to orphan.")
        ids[name] = number.value
    pseud = None
    if "work_id" in ids:
        works = [access_work(user, ids["work_id"], for_edit=True)]
        series = []
        if not works[0].posted:
            raise Http404("Drafts can't be orphaned.")
    elif "series_id" in ids:
        one = access_series(user, ids["series_id"], for_edit=True)
        series = [one]
        works = list(own_works(user).filter(serial_works__series=one).order_by("title", "pk"))
    elif "pseud_id" in ids:
        pseud = Pseud.objects.filter(pk=ids["pseud_id"], user=user).first()
        if pseud is None:
            raise Http404("No such pseud.")
        works = list(own_works(user).filter(creatorships__pseud=pseud).order_by("title", "pk"))
        series = list(own_series(user).filter(pseuds=pseud))
    else:
        works = list(own_works(user).order_by("title", "pk"))
        series = list(own_series(user))
    # A draft given away could never be posted or deleted by anyone: drafts stay.
    works = [work for work in works if work.posted]
    return {"works": works, "series": series, "pseud": pseud, "params": named}
