"""/users/:login/preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import own_account_or_404, submitted

from ..actions import do_update_preferences
from ..forms import PreferenceForm
from ..models import Preference


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
