"""Pseuds: the list, a pseud's page, new and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from quire.lib.http import own_account_or_404, submitted

from ..actions import do_create_pseud, do_update_pseud
from ..forms import PseudForm
from ..queries import access_pseud, access_user, user_pseuds


def pseud_list(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    return render(
        request,
        "accounts/pseud_list.html",
        {"owner": owner, "pseuds": user_pseuds(owner, request.user)},
    )


def pseud_show(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    """AO3's pseud page, where bylines (a[rel=author]) point. Until pseuds have a dashboard of
    their own it is their works listing."""
    owner = access_user(login)
    row = access_pseud(request.user, owner, pseud)
    return redirect("works:pseud-works", login=owner.username, pseud=row.name)


@login_required
def pseud_new(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    form = PseudForm(submitted(request), user=owner)
    if request.method == "POST" and form.is_valid():
        do_create_pseud(owner, form.cleaned_data["name"], form.cleaned_data["description"])
        messages.success(request, "Pseud was successfully created.")
        return redirect("accounts:pseud-list", login=owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner})


@login_required
def pseud_edit(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    row = get_object_or_404(owner.pseuds, name__iexact=pseud)
    form = PseudForm(
        submitted(request),
        user=owner,
        pseud=row,
        initial={"name": row.name, "description": row.description},
    )
    if request.method == "POST" and form.is_valid():
        do_update_pseud(
            row, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
        )
        messages.success(request, "Pseud was successfully updated.")
        return redirect("accounts:pseud-list", login=owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner, "pseud": row})
