"""Subscriptions: the Subscribe buttons' form, the listing, unsubscribing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from quire.lib.http import back_or, own_account_or_404
from quire.works.permissions import is_creator
from quire.works.queries import access_series

from ..actions import SubscriptionError, do_subscribe, do_unsubscribe, do_unsubscribe_all
from ..models import Subscription
from ..queries import (
    SUBSCRIPTION_TYPES,
    access_posted_work,
    access_subscribable_user,
    access_subscription,
    subscription_page,
    subscriptions_of,
)


def _subscription_target(request: HttpRequest):
    """(work, series, user, name, page) of the Subscribe form's target, fetched through its
    access_* function (404 for what the viewer may not see), or Http404 for nonsense."""
    kind = request.POST.get("subscription[subscribable_type]", "")
    try:
        target_id = int(request.POST.get("subscription[subscribable_id]", ""))
    except ValueError:
        raise Http404("No such thing to subscribe to.") from None
    if kind == Subscription.WORK:
        work = access_posted_work(request.user, target_id)
        return work, None, None, work.title, reverse("works:work-show", args=[work.pk])
    if kind == Subscription.SERIES:
        series = access_series(request.user, target_id)
        return None, series, None, series.title, reverse("works:series-show", args=[series.pk])
    if kind == Subscription.USER:
        target = access_subscribable_user(target_id)
        return (
            None,
            None,
            target,
            target.username,
            reverse("accounts:dashboard", args=[target.username]),
        )
    raise Http404("No such thing to subscribe to.")


def _subscribe(request: HttpRequest, owner) -> HttpResponse:
    """POST /users/:login/subscriptions (AO3's form: subscription[subscribable_type] and
    subscription[subscribable_id]), from a Subscribe button; back to the page it was on."""
    work, series, target, name, page = _subscription_target(request)
    if work is not None and is_creator(owner, work):
        messages.error(request, "You can't subscribe to your own work.")
        return back_or(request, page)
    try:
        _, created = do_subscribe(owner, work=work, series=series, to_user=target)
    except SubscriptionError as refused:
        messages.error(request, str(refused))
        return back_or(request, page)
    if created:
        messages.success(
            request,
            f"You are now following {name}. If you'd like to stop receiving updates, you can "
            "return to this page and click 'Unsubscribe'.",
        )
    else:
        messages.info(request, f"You are already following {name}.")
    return back_or(request, page)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, login: str, subscription_id: int) -> HttpResponse:
    owner = own_account_or_404(request, login)
    subscription = access_subscription(request.user, subscription_id)
    do_unsubscribe(subscription)
    messages.success(request, "You have successfully unsubscribed.")
    return back_or(request, reverse("social:user-subscriptions", args=[owner.username]))


def _subscription_kind(request: HttpRequest) -> tuple[str, str | None]:
    """AO3's ?type= (works, series, users) and the kind it lists; anything else is All."""
    wanted = request.GET.get("type") or request.POST.get("type") or ""
    kind = SUBSCRIPTION_TYPES.get(wanted)
    return (wanted if kind else ""), kind


@login_required
@require_http_methods(["GET", "POST"])
def user_subscriptions(request: HttpRequest, login: str) -> HttpResponse:
    owner = own_account_or_404(request, login)
    if request.method == "POST":
        return _subscribe(request, owner)
    type_, kind = _subscription_kind(request)
    page = subscription_page(owner, subscriptions_of(owner, kind), request.GET.get("page"))
    return render(
        request,
        "social/subscription_index.html",
        {"owner": owner, "page": page, "type": type_, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions_delete_all(request: HttpRequest, login: str) -> HttpResponse:
    """AO3's "Delete All Subscriptions": a confirmation page, then a POST (of one type, or
    all)."""
    owner = own_account_or_404(request, login)
    type_, kind = _subscription_kind(request)
    if request.method == "POST":
        deleted = do_unsubscribe_all(owner, kind=kind)
        messages.success(
            request, f"You have successfully unsubscribed from {deleted:,} subscriptions."
        )
        return redirect("social:user-subscriptions", login=owner.username)
    count = subscriptions_of(owner, kind).count()
    return render(
        request,
        "social/subscription_confirm_delete_all.html",
        {"owner": owner, "type": type_, "count": count},
    )
