"""The small questions every app's views ask of a request, answered one way.

Views import these instead of keeping a private copy each: whose account a URL names, where a
button may send the reader back to, how a guest is sent to log in, which button was pressed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def submitted(request: HttpRequest):
    """The posted data, else None. `request.POST or None` would treat a post with nothing in
    it (every box unticked, the CSRF token in a header) as no submission at all."""
    return request.POST if request.method == "POST" else None


def own_account_or_404(request: HttpRequest, login: str):
    """The logged-in user, when `login` names them; anyone else's page looks missing (404),
    exactly as a login that does not exist."""
    from quire.accounts.queries import access_user

    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    return owner


def safe_return_to(request: HttpRequest) -> str:
    """The `return_to` the form (or the query string) names, when it is a path on this site;
    else "". Never a redirect to another host."""
    target = request.POST.get("return_to") or request.GET.get("return_to") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def back_or(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the page the button was on (a same-site path only), else to `fallback`."""
    return redirect(safe_return_to(request) or fallback)


def login_redirect(request: HttpRequest) -> HttpResponse:
    """AO3's answer to a guest asking for something restricted: the login page, which says
    why and comes back here afterwards."""
    query = urlencode({"restricted": "true", "return_to": request.get_full_path()})
    return redirect(f"{reverse('account_login')}?{query}")


def pressed(request: HttpRequest, *names: str) -> str | None:
    """Which of the form's named submit buttons was pressed (the first of `names` present in
    the posted data), or None."""
    for name in names:
        if name in request.POST:
            return name
    return None


def refuse_control_characters(get_response):
    """Middleware: a path holding a control character (below U+0020) is a 404 before any view
    runs. No tag, login, pseud or language code can hold one, and PostgreSQL refuses NUL in
    any text it is sent, so looking such a name up could only fail, as a 500."""
    from quire.lib.text import has_control_character

    def middleware(request: HttpRequest) -> HttpResponse:
        if has_control_character(request.path_info):
            raise Http404("No such page.")  # Django's handler renders the site's 404 page
        return get_response(request)

    return middleware
