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
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            limits.hit("signup", client_ip(request) or "")
        except limits.RateLimited as limited:
            # The form again, with what was typed (passwords aside) and when to try again.
            form = self.get_form()
            form.add_error(None, limited.message)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        return super().post(request, *args, **kwargs)

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
