"""/users/:login/preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.lib.http import own_account_or_404, submitted
from quire.works.pagecache import expire_work_pages
from quire.works.queries import own_works

from ..actions import do_update_preferences
from ..forms import PreferenceForm
from ..queries import preference_of


@login_required
def preferences(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    before = preference_of(request.user)
    hid_from_search_engines = before.minimize_search_engines
    form = PreferenceForm(submitted(request), initial=PreferenceForm.initial_for(before))
    if request.method == "POST" and form.is_valid():
        after = do_update_preferences(owner, **form.cleaned_data)
        if after.minimize_search_engines != hid_from_search_engines:
            # Their works' pages carry the robots meta: guests' stored copies must go.
            expire_work_pages(own_works(owner).values_list("pk", flat=True))
        messages.success(request, "Your preferences were successfully updated.")
        return redirect("accounts:preferences", login=owner.username)
    return render(request, "accounts/preferences.html", {"form": form, "owner": owner})
