"""The login page: allauth's view, answering a rate-limited post with 429 and Retry-After
(the form shows the message and keeps the login typed; accounts.forms.LoginForm counts)."""

from allauth.account.views import LoginView as AllauthLoginView
from django.http import HttpResponse


class LoginView(AllauthLoginView):
    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        limited = getattr(form, "rate_limited", None)
        if limited is not None:
            response.status_code = 429
            response["Retry-After"] = str(limited.retry_after)
        return response


login = LoginView.as_view()
