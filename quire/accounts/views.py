from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render

from quire.social.queries import own_subscription
from quire.works.queries import blurb_page, visible_works

from .actions import do_create_pseud, do_update_preferences, do_update_pseud
from .forms import PreferenceForm, PseudForm
from .models import Preference
from .queries import access_user, user_pseuds


def _submitted(request: HttpRequest):
    """The posted data, else None. `request.POST or None` would treat a post with nothing in
    it (every box unticked, the CSRF token in a header) as no submission at all."""
    return request.POST if request.method == "POST" else None


def token_dispenser(request: HttpRequest) -> JsonResponse:
    """AO3's /token_dispenser.json: a CSRF token for clients that post forms."""
    return JsonResponse({"token": get_token(request)})


def dashboard(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    works = visible_works(request.user).filter(creatorships__pseud__user=owner).distinct()
    page = blurb_page(works, 1)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "owner": owner,
            "page": page,
            "pseuds": user_pseuds(owner),
            "subscription": (
                None
                if owner.pk == request.user.pk
                else own_subscription(request.user, to_user=owner)
            ),
        },
    )


def pseud_list(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    return render(
        request, "accounts/pseud_list.html", {"owner": owner, "pseuds": user_pseuds(owner)}
    )


def pseud_show(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    """AO3's pseud page, where bylines (a[rel=author]) point. Until pseuds have a dashboard of
    their own it is their works listing."""
    owner = access_user(login)
    row = get_object_or_404(owner.pseuds, name__iexact=pseud)
    return redirect("works:pseud-works", login=owner.username, pseud=row.name)


def _own_account(request: HttpRequest, login: str):
    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    return owner


@login_required
def pseud_new(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_account(request, login)
    form = PseudForm(_submitted(request), user=owner)
    if request.method == "POST" and form.is_valid():
        do_create_pseud(owner, form.cleaned_data["name"], form.cleaned_data["description"])
        messages.success(request, "Pseud was successfully created.")
        return redirect("accounts:pseud-list", login=owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner})


@login_required
def pseud_edit(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    owner = _own_account(request, login)
    row = get_object_or_404(owner.pseuds, name__iexact=pseud)
    form = PseudForm(
        _submitted(request),
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


@login_required
def preferences(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_account(request, login)
    current = Preference.objects.filter(user=owner).first() or Preference(user=owner)
    form = PreferenceForm(
        _submitted(request),
        initial={
            "view_adult": current.view_adult,
            "disable_work_skins": current.disable_work_skins,
            "history_enabled": current.history_enabled,
            "subscription_emails": current.subscription_emails,
        },
    )
    if request.method == "POST" and form.is_valid():
        do_update_preferences(owner, **form.cleaned_data)
        messages.success(request, "Your preferences were successfully updated.")
        return redirect("accounts:preferences", login=owner.username)
    return render(request, "accounts/preferences.html", {"form": form, "owner": owner})
