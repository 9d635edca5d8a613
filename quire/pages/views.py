"""The rules pages (/tos, /content, /privacy, /faq, /about), their history and staff
editing; accepting new terms; staff site settings; dismissing the site banner."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from quire.accounts.models import User
from quire.lib.http import safe_return_to
from quire.lib.numbers import UINT32_MAX, bounded_int

from .actions import do_accept_terms, do_publish_rule_version, do_update_site_settings
from .forms import RuleVersionForm, SiteSettingsForm
from .middleware import BANNER_COOKIE, BANNER_COOKIE_AGE, TERMS_SESSION_KEY
from .permissions import CHANGE_SETTINGS, EDIT_RULES, can_edit_rules, staff_with
from .queries import (
    TERMS,
    access_rule_page,
    access_rule_version,
    current_version,
    forget_site_settings,
    required_terms_number,
    rule_versions,
    site_settings,
    terms_to_accept,
)


def _user(request: HttpRequest) -> User:
    # Behind login_required or staff_with: never the anonymous user.
    return cast(User, request.user)


def _return_path(request: HttpRequest) -> str:
    # A same-site path only: a bare word would be taken for a URL name by redirect().
    target = safe_return_to(request)
    return target if target.startswith("/") else ""


def _number(raw: str | None) -> int:
    """A version number from a URL or a form, bounded; 0 (no version) when it is none."""
    bounded = bounded_int(raw or "", low=0, high=UINT32_MAX)
    return bounded.value if bounded is not None else 0


PUBLISHED = "The new version of the page is published."
SETTINGS_SAVED = "Site settings saved."
TERMS_ACCEPTED = "Thank you for accepting the Terms of Service."


def rule_show(request: HttpRequest, slug: str) -> HttpResponse:
    page = access_rule_page(slug)
    return render(
        request,
        "pages/rule_show.html",
        {
            "page": page,
            "version": current_version(slug),
            "can_edit": can_edit_rules(request.user),
        },
    )


def rule_versions_index(request: HttpRequest, slug: str) -> HttpResponse:
    page = access_rule_page(slug)
    return render(
        request,
        "pages/rule_versions.html",
        {"page": page, "versions": rule_versions(page), "can_edit": can_edit_rules(request.user)},
    )


def rule_version_show(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    page = access_rule_page(slug)
    version = access_rule_version(page, _number(number))
    current = current_version(slug)
    return render(
        request,
        "pages/rule_show.html",
        {
            "page": page,
            "version": version,
            "old": current is not None and current.pk != version.pk,
            "can_edit": can_edit_rules(request.user),
        },
    )


@staff_with(EDIT_RULES)
def rule_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A new version of the page; the form starts from the current text."""
    page = access_rule_page(slug)
    is_terms = slug == TERMS
    if request.method == "POST":
        form = RuleVersionForm(request.POST, is_terms=is_terms)
        if form.is_valid():
            do_publish_rule_version(page, by=_user(request), **form.cleaned_data)
            messages.success(request, PUBLISHED)
            return redirect("pages:rule-show", slug=slug)
    else:
        current = current_version(slug)
        form = RuleVersionForm(initial={"body": current.body if current else ""}, is_terms=is_terms)
    return render(request, "pages/rule_edit.html", {"page": page, "form": form})


@login_required
def terms_accept(request: HttpRequest) -> HttpResponse:
    """The terms to accept again: "I accept" records it (for the version shown: a version
    published meanwhile is asked for next), or the user logs out."""
    return_to = _return_path(request)
    version = terms_to_accept(request.user)
    if request.method == "POST":
        shown = _number(request.POST.get("version"))
        if version is not None and version.pk == shown:
            do_accept_terms(_user(request), version)
            messages.success(request, TERMS_ACCEPTED)
            version = None
    if version is None:
        request.session[TERMS_SESSION_KEY] = required_terms_number()
        return HttpResponseRedirect(return_to or reverse("home"))
    return render(request, "pages/terms_accept.html", {"version": version, "return_to": return_to})


def _settings_initial() -> dict:
    forget_site_settings()  # the form starts from the saved row, not a worker's copy
    row = site_settings()
    return {name: getattr(row, name) for name in SiteSettingsForm.base_fields}


@staff_with(CHANGE_SETTINGS)
def site_settings_edit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SiteSettingsForm(request.POST)
        if form.is_valid():
            do_update_site_settings(by=_user(request), **form.cleaned_data)
            messages.success(request, SETTINGS_SAVED)
            return redirect("pages:site-settings")
    else:
        form = SiteSettingsForm(initial=_settings_initial())
    return render(request, "pages/site_settings_edit.html", {"form": form})


# Dismissing a banner changes nothing but whether this browser shows it, so a forged
# dismissal harms no one; and cached guest pages (works.pagecache) carry no CSRF token.
@csrf_exempt
@require_POST
def banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the banner this browser was shown (its key, posted by the form) until the text
    changes: a cookie for everyone, read before sessions by the banner middleware."""
    response = HttpResponseRedirect(_return_path(request) or reverse("home"))
    key = request.POST.get("banner", "")
    if key.isdigit() and len(key) <= 20:
        response.set_cookie(
            BANNER_COOKIE,
            key,
            max_age=BANNER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
