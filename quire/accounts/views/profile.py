"""The profile (AO3's /users/:login/profile), its edit form, and changing the login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import own_account_or_404, submitted

from ..actions import do_change_username, do_update_profile
from ..actions.usernames import UsernameTaken
from ..forms import ChangeUsernameForm, ProfileForm
from ..queries import access_user, next_username_change, user_pseuds


def profile(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    return render(
        request, "accounts/profile_show.html", {"owner": owner, "pseuds": user_pseuds(owner)}
    )


@login_required
def profile_edit(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    form = ProfileForm(
        submitted(request),
        initial={"profile_title": owner.profile_title, "profile_about": owner.profile_about},
    )
    if request.method == "POST" and form.is_valid():
        do_update_profile(
            owner,
            title=form.cleaned_data["profile_title"],
            about=form.cleaned_data["profile_about"],
        )
        messages.success(request, "Your profile has been successfully updated.")
        return redirect("accounts:profile", login=owner.username)
    return render(request, "accounts/profile_edit.html", {"form": form, "owner": owner})


@login_required
def change_username(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    form = ChangeUsernameForm(submitted(request), user=owner, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_username(owner, form.cleaned_data["new_login"])
        except UsernameTaken:
            form.add_error("new_login", "That username is already taken.")
        else:
            messages.success(request, "Your username has been successfully updated.")
            return redirect("accounts:dashboard", login=owner.username)
    return render(
        request,
        "accounts/username_edit.html",
        {"form": form, "owner": owner, "next_change": next_username_change(owner)},
    )
