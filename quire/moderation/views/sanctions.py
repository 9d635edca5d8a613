"""A user's staff page, /staff/users/:login: their sanctions, the log about them, their works,
and the form that notes, warns, suspends, bans or lifts."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from quire.accounts.models import User
from quire.lib.http import submitted
from quire.works.queries import visible_works

from ..actions import SanctionError, do_sanction_user
from ..forms import SanctionForm
from ..permissions import SANCTIONS, VIEW_USERS, is_suspended, staff_required
from ..queries import current_sanction, log_about, sanctions_of


def _staff_user(login: str) -> User:
    # Staff see every account, deactivated ones too: they may need to act on them.
    user = User.objects.filter(username__iexact=login[:150]).first()
    if user is None:
        raise Http404("No such user.")
    return user


@staff_required(VIEW_USERS)
def staff_user_show(request: HttpRequest, login: str) -> HttpResponse:
    user = _staff_user(login)
    may_sanction = request.user.has_perm(SANCTIONS)
    form = SanctionForm(submitted(request) if may_sanction else None)
    if request.method == "POST" and not may_sanction:
        return render(
            request,
            "moderation/refused.html",
            {"message": "Sorry, your staff role doesn't include acting on users."},
            status=403,
        )
    if form.is_bound and form.is_valid():
        try:
            sanction = do_sanction_user(
                user,
                form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                until=form.until_datetime(),
                by=request.user,  # type: ignore[arg-type]
            )
        except SanctionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{sanction.get_kind_display()} recorded for {user}.")
            return redirect("moderation:staff-user", login=user.username)
    works = visible_works(request.user).filter(creatorships__pseud__user=user).distinct()
    context = {
        "subject": user,
        "suspended": is_suspended(user),
        "current": current_sanction(user),
        "sanctions": sanctions_of(user)[:100],
        "log": log_about(user)[:100],
        "works": works.order_by("-pk")[:50],
        "form": form,
        "may_sanction": may_sanction,
    }
    return render(request, "moderation/user_show.html", context)
