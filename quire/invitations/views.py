"""The invitation queue (/invite_requests), a user's codes (/users/:login/invitations) and
the staff page that releases the queue and hands out codes (/staff/invitations)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.lib import limits
from quire.lib.http import own_account_or_404, submitted
from quire.social.visitors import client_ip, hash_ip

from .actions import (
    do_issue_invitations,
    do_release_invitations,
    do_request_invitation,
    do_send_invitation,
)
from .forms import InviteRequestForm, IssueForm, QueueStatusForm, ReleaseForm, SendInvitationForm
from .permissions import invitations_staff_required
from .queries import (
    queue_head,
    queue_length,
    queue_position,
    redeemed_invitations,
    unused_invitations,
)

QUEUE_SHOWN = 50


def _status_url(email: str) -> str:
    return reverse("invitations:request-status") + "?" + urlencode({"email": email})


def invite_request_new(request: HttpRequest) -> HttpResponse:
    form = InviteRequestForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        address = client_ip(request) or ""
        try:
            limits.hit("invite_request", address)
        except limits.RateLimited as limited:
            form.add_error(None, limited.message)
        else:
            do_request_invitation(form.cleaned_data["email"], hash_ip(address) if address else "")
            return redirect(_status_url(form.cleaned_data["email"]))
    return render(
        request,
        "invitations/invite_request_new.html",
        {"form": form, "queue_length": queue_length()},
    )


def invite_request_status(request: HttpRequest) -> HttpResponse:
    """The place of one address in the queue. Whether an address is queued is all it tells:
    never whether it has an account or was invited, nor anything of other addresses."""
    form = QueueStatusForm(request.GET if "email" in request.GET else None)
    position = None
    if form.is_bound and form.is_valid():
        position = queue_position(form.cleaned_data["email"])
    return render(
        request,
        "invitations/invite_request_status.html",
        {"form": form, "position": position, "queue_length": queue_length()},
    )


@login_required
def user_invitations(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    return render(
        request,
        "invitations/invitation_index.html",
        {
            "owner": owner,
            "unused": unused_invitations(owner),
            "redeemed": redeemed_invitations(owner)[:100],
            "form": SendInvitationForm(),
        },
    )


@login_required
@require_POST
def invitation_send(request: HttpRequest, login: str, pk: int) -> HttpResponse:
    owner = own_account_or_404(request, login)
    invitation = unused_invitations(owner).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    form = SendInvitationForm(request.POST)
    if form.is_valid():
        try:
            # A code may be sent again (a mistyped address), so each send is counted: one
            # code must not become a way to mail anyone any number of times.
            limits.hit("invite_request", f"user:{owner.pk}")
        except limits.RateLimited as limited:
            form.add_error("invitee_email", limited.message)
    if form.is_valid():
        do_send_invitation(invitation, form.cleaned_data["invitee_email"])
        messages.success(request, f"Invitation sent to {form.cleaned_data['invitee_email']}.")
        return redirect("invitations:user-invitations", login=owner.username)
    return render(
        request,
        "invitations/invitation_index.html",
        {
            "owner": owner,
            "unused": unused_invitations(owner),
            "redeemed": redeemed_invitations(owner)[:100],
            "form": form,
            "failed_pk": invitation.pk,
        },
        status=400,
    )


@invitations_staff_required
def staff_invitations(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action") if request.method == "POST" else None
    release = ReleaseForm(request.POST if action == "release" else None)
    issue = IssueForm(request.POST if action == "issue" else None)
    if action == "release" and release.is_valid():
        released = do_release_invitations(release.cleaned_data["count"], actor=request.user)
        messages.success(request, f"Released {len(released):,} invitations from the queue.")
        return redirect("invitations:staff")
    if action == "issue" and issue.is_valid():
        user = issue.cleaned_data["username"]
        made = do_issue_invitations(user, issue.cleaned_data["count"], actor=request.user)
        messages.success(request, f"Gave {user.username} {len(made):,} invitation codes.")
        return redirect("invitations:staff")
    return render(
        request,
        "invitations/staff_invitations.html",
        {
            "release": release,
            "issue": issue,
            "queue": queue_head(QUEUE_SHOWN),
            "queue_length": queue_length(),
        },
        status=400 if action else 200,
    )
