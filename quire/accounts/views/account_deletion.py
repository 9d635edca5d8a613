"""Deleting one's account (AO3's DELETE /users/:login, after its confirmation page)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import own_account_or_404, submitted

from ..actions import DeletionPlan, Fate, do_delete_account
from ..forms import DeleteAccountForm
from ..queries import owned_items


@login_required
def account_delete(request: HttpRequest, login: str) -> HttpResponse:
    """The preview lists every work and series affected: for each one the user alone created,
    a choice (orphan, keeping the pseud's name or not, or delete); co-created ones are listed
    as staying with their other creators. The password confirms it."""
    owner = own_account_or_404(request, login)
    items = owned_items(owner)
    form = DeleteAccountForm(
        submitted(request),
        user=owner,
        request=request,
        works=items.sole_works,
        series=items.sole_series,
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.plan()
        plan = DeletionPlan(
            works={pk: Fate(fate) for pk, fate in chosen["work"].items()},
            series={pk: Fate(fate) for pk, fate in chosen["series"].items()},
        )
        do_delete_account(owner, plan)
        logout(request)
        messages.success(request, "You have successfully deleted your account.")
        return redirect("home")
    return render(
        request, "accounts/account_delete.html", {"form": form, "owner": owner, "items": items}
    )
