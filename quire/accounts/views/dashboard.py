"""The account's own pages: the dashboard, and the token dispenser AO3's clients ask."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render

from quire.social.queries import own_subscription
from quire.works.queries import blurb_page, visible_works

from ..queries import access_user, relations_between, user_pseuds


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
    page = blurb_page(works, 1, viewer=request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "owner": owner,
            "page": page,
            "pseuds": user_pseuds(owner, request.user),
            "subscription": (
                None
                if owner.pk == request.user.pk
                else own_subscription(request.user, to_user=owner)
            ),
            "blocked": blocked,
            "muted": muted,
        },
    )
