"""Block and mute: the owner's lists, the confirmation pages, and the buttons' posts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import own_account_or_404, submitted

from ..actions import (
    RelationRefused,
    do_block_user,
    do_mute_user,
    do_unblock_user,
    do_unmute_user,
)
from ..forms import RELATION_PARAMS, RelationForm
from ..permissions import PAST
from ..queries import find_user, relation_page, relations_between

RELATION_ACTIONS = {
    "block": (do_block_user, do_unblock_user),
    "mute": (do_mute_user, do_unmute_user),
}
RELATION_URLS = {
    "block": ("accounts:blocked-users", "accounts:confirm-block", "accounts:confirm-unblock"),
    "mute": ("accounts:muted-users", "accounts:confirm-mute", "accounts:confirm-unmute"),
}


def _relation_index(request, owner, kind: str, form: RelationForm, status: int = 200):
    page = relation_page(kind, owner, request.GET.get("page"))
    context = {"owner": owner, "kind": kind, "past": PAST[kind], "page": page, "form": form}
    context["urls"] = RELATION_URLS[kind]
    return render(request, "accounts/relation_index.html", context, status=status)


@login_required
def relation_index(request: HttpRequest, login: str, kind: str) -> HttpResponse:
    """/users/:login/blocked/users (and muted): the owner's list; a POST blocks (mutes)
    the user named in blocked_id (muted_id), after the confirmation page."""
    owner = own_account_or_404(request, login)
    form = RelationForm(submitted(request), kind=kind, user=owner)
    if request.method == "POST":
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                RELATION_ACTIONS[kind][0](owner, target)
            except RelationRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, f"You have {PAST[kind]} the user {target.username}.")
                return redirect(RELATION_URLS[kind][0], login=owner.username)
        return _relation_index(request, owner, kind, form, status=422)
    return _relation_index(request, owner, kind, RelationForm(kind=kind, user=owner))


@login_required
def relation_confirm(request: HttpRequest, login: str, kind: str) -> HttpResponse:
    """AO3's "Block <user>?" page (GET ?blocked_id=<login>), saying what it will do; its
    button posts to the list. A name that can't be blocked shows the list with the message."""
    owner = own_account_or_404(request, login)
    form = RelationForm(request.GET, kind=kind, user=owner)
    if not form.is_valid():
        return _relation_index(request, owner, kind, form, status=422)
    target = form.cleaned_data["target"]
    already = relations_between(owner, target)[0 if kind == "block" else 1]
    return render(
        request,
        "accounts/relation_confirm.html",
        {
            "owner": owner,
            "target": target,
            "kind": kind,
            "param": form.param,
            "already": already,
            "urls": RELATION_URLS[kind],
        },
    )


@login_required
def relation_remove(request: HttpRequest, login: str, kind: str) -> HttpResponse:
    """GET: "Unblock <user>?"; POST: lift the block (mute) on the user named in blocked_id
    (muted_id)."""
    owner = own_account_or_404(request, login)
    param = RELATION_PARAMS[kind]
    source = request.POST if request.method == "POST" else request.GET
    target = find_user(source.get(param, ""))
    if target is None:
        raise Http404("No such user.")
    if request.method != "POST":
        return render(
            request,
            "accounts/relation_confirm.html",
            {
                "owner": owner,
                "target": target,
                "kind": f"un{kind}",
                "param": param,
                "urls": RELATION_URLS[kind],
            },
        )
    if RELATION_ACTIONS[kind][1](owner, target):
        messages.success(request, f"You have un{PAST[kind]} the user {target.username}.")
    else:
        messages.error(request, f"You had not {PAST[kind]} {target.username}.")
    return redirect(RELATION_URLS[kind][0], login=owner.username)
