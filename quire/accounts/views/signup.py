"""/signup and /signup/:invitation_token: allauth's sign-up with the archive's rules around
it: closed or invitation-only sign-ups (site settings), the invitation that admits one
account, and the count of sign-ups per address."""

from allauth.account.views import SignupView as AllauthSignupView
from django.db import transaction
from django.shortcuts import render

from quire.invitations.queries import usable_invitation
from quire.lib import limits
from quire.pages.models import SignupMode
from quire.pages.queries import site_settings
from quire.social.visitors import client_ip

from ..adapter import AccountAdapter, InvitationUsed

USED = "Sorry, that invitation has just been used to create another account."


class SignupView(AllauthSignupView):
    def dispatch(self, request, *args, **kwargs):
        token = kwargs.pop("token", "")
        request.invitation = usable_invitation(token) if token else None
        if not request.user.is_authenticated and not AccountAdapter(request).is_open_for_signup(
            request
        ):
            return render(
                request,
                "account/signup_closed.html",
                {"mode": site_settings().signups, "token": token, "modes": SignupMode},
            )
        if request.method == "POST":
            # Uncaught, RateLimitMiddleware answers with the 429 page.
            limits.hit("signup", client_ip(request) or "")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        initial = super().get_initial()
        invitation = self.request.invitation
        if invitation is not None and invitation.invitee_email and "email" not in initial:
            initial["email"] = invitation.invitee_email
        return initial

    def form_valid(self, form):
        # The account, its pseud, the terms accepted and the invitation used: all or none.
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except InvitationUsed:
            form.add_error(None, USED)
            return self.form_invalid(form)


signup = SignupView.as_view()
