"""Pseuds: the list, a pseud's page, new, edit (with the icon and the default box), delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from quire.lib.http import own_account_or_404, submitted

from ..actions import (
    do_create_pseud,
    do_delete_pseud,
    do_make_pseud_default,
    do_set_pseud_icon,
    do_update_pseud,
)
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
    their own it is their works listing. AO3's DELETE (a POST with _method=delete) deletes."""
    if request.method == "POST" and request.POST.get("_method", "").lower() == "delete":
        return pseud_delete(request, login, pseud)
    owner = access_user(login)
    row = access_pseud(request.user, owner, pseud)
    return redirect("works:pseud-works", login=owner.username, pseud=row.name)


@login_required
def pseud_new(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    form = PseudForm(submitted(request), request.FILES or None, user=owner)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            row = do_create_pseud(
                owner, form.cleaned_data["name"], form.cleaned_data["description"]
            )
            _save_icon(row, form)
        messages.success(request, "Pseud was successfully created.")
        return redirect("accounts:pseud-list", login=owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner})


@login_required
def pseud_edit(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    row = get_object_or_404(owner.pseuds, name__iexact=pseud)
    form = PseudForm(
        submitted(request),
        request.FILES or None,
        user=owner,
        pseud=row,
        initial={
            "name": row.name,
            "description": row.description,
            "is_default": row.is_default,
            "icon_alt_text": row.icon_alt_text,
            "icon_comment": row.icon_comment,
        },
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            do_update_pseud(
                row,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            if form.cleaned_data.get("is_default") and not row.is_default:
                do_make_pseud_default(row)
            _save_icon(row, form)
        messages.success(request, "Pseud was successfully updated.")
        return redirect("accounts:pseud-list", login=owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner, "pseud": row})


def _save_icon(row, form: PseudForm) -> None:
    """The icon part of the form: a new icon, its removal, or new alt text and comment."""
    data = form.cleaned_data
    if data.get("icon") is not None:
        do_set_pseud_icon(row, data["icon"])
    elif data.get("delete_icon"):
        do_set_pseud_icon(row, None)
        return
    do_update_pseud(
        row,
        name=row.name,
        description=row.description,
        icon_alt_text=data.get("icon_alt_text", ""),
        icon_comment=data.get("icon_comment", ""),
    )


@login_required
def pseud_delete(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    """The confirmation page, and the delete: the pseud's works move to the default pseud,
    which itself can't be deleted."""
    owner = own_account_or_404(request, login)
    row = get_object_or_404(owner.pseuds, name__iexact=pseud)
    if row.is_default:
        messages.error(request, "You cannot delete your default pseud.")
        return redirect("accounts:pseud-list", login=owner.username)
    if request.method == "POST":
        do_delete_pseud(row)
        messages.success(
            request, f"The pseud {row.name} was deleted; its works moved to your default pseud."
        )
        return redirect("accounts:pseud-list", login=owner.username)
    default = owner.pseuds.get(is_default=True)
    return render(
        request,
        "accounts/pseud_delete.html",
        {"owner": owner, "pseud": row, "default": default, "works": row.works.count()},
    )
