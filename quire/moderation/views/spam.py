"""Spam: the staff comments page (/staff/comments?user=, ?work=, ?ip=) with bulk delete, and
marking a user as a spammer (/staff/users/<login>/spammer)."""

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.accounts.models import User
from quire.accounts.queries import access_user
from quire.lib.http import back_or
from quire.lib.numbers import page_number

from ..actions import do_delete_comments, do_mark_spammer, do_unmark_spammer
from ..forms import NoteForm, SpamCommentsForm
from ..permissions_hiding import staff_with
from ..queries import staff_comments

COMMENTS_PER_PAGE = 100


def _staff(request: HttpRequest) -> User:
    """The staff member the decorator let in."""
    return cast(User, request.user)


@staff_with("delete_spam_comments")
def comment_list(request: HttpRequest) -> HttpResponse:
    found = staff_comments(request.GET)
    page = Paginator(found.comments, COMMENTS_PER_PAGE).get_page(
        page_number(request.GET.get("page"))
    )
    form = None
    if request.method == "POST":
        form = SpamCommentsForm(request.POST, choices=[c.pk for c in page.object_list])
        if form.is_valid():
            chosen = set(form.cleaned_data["comments"])
            count = do_delete_comments(
                _staff(request),
                [c for c in page.object_list if c.pk in chosen],
                form.cleaned_data["note"],
            )
            messages.success(request, f"Deleted {count} comment{'s' if count != 1 else ''}.")
            return back_or(request, request.get_full_path())
    return render(
        request,
        "moderation/comment_index.html",
        {"found": found, "page": page, "form": form, "params": request.GET},
    )


@require_POST
@staff_with("mark_spammer")
def spammer(request: HttpRequest, login: str) -> HttpResponse:
    user = access_user(login)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if request.POST.get("spammer") == "false":
        do_unmark_spammer(_staff(request), user, note)
        messages.success(request, f"{user.username} is no longer marked as a spammer.")
    else:
        do_mark_spammer(_staff(request), user, note)
        messages.success(
            request, f"{user.username} is marked as a spammer: all of theirs is hidden."
        )
    return back_or(request, reverse("moderation:comments") + f"?user={user.username}")
