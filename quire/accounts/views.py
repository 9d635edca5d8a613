from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render

from quire.lib.http import own_account_or_404, submitted
from quire.social.queries import own_subscription
from quire.works.queries import blurb_page, visible_works

from .actions import (
    RelationRefused,
    do_block_user,
    do_create_pseud,
    do_mute_user,
    do_unblock_user,
    do_unmute_user,
    do_update_preferences,
    do_update_pseud,
)
from .forms import RELATION_PARAMS, PreferenceForm, PseudForm, RelationForm
from .models import Preference
from .permissions import PAST
from .queries import access_user, find_user, relation_page, relations_between, user_pseuds


def token_dispenser(request: HttpRequest) -> JsonResponse:
    """AO3's /token_dispenser.json: a CSRF token for clients that post forms."""
    return JsonResponse({"token": get_token(request)})


def dashboard(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    works = visible_works(request.user).filter(creatorships__pseud__user=owner).distinct()
    blocked, muted = relations_between(request.user, owner)
    if owner.pk != request.user.pk:
        # Listing someone's anonymous works under their name would say who wrote them; and a
        # muted user's works are left out like everywhere else (the muter may still visit).
        works = works.none() if muted else works.filter(anonymous=False)
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
            "blocked": blocked,
            "muted": muted,
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


@login_required
def preferences(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    current = Preference.objects.filter(user=owner).first() or Preference(user=owner)
    form = PreferenceForm(
        submitted(request),
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


# Block and mute: the owner's lists, the confirmation pages, and the buttons' posts.

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
