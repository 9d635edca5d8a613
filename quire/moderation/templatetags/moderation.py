"""{% hidden_notice target %}, {% hide_controls target %}, {% spammer_controls user %}: the
moderation parts other apps' pages show. Templates load them by name, so works, social and
accounts never import moderation. No query unless the target is hidden or the viewer staff."""

from django import template
from django.template.loader import render_to_string

from ..kinds import kind_of
from ..permissions_hiding import has_staff_perm
from ..queries import hiding_of, hidings_about

register = template.Library()


def _by_spammer(target) -> bool:
    """Whether a maker of `target` is marked as a spammer, from rows the page has loaded."""
    kind = kind_of(target).name
    if kind == "work":
        return any(c.pseud.user.spammer for c in target.creatorships.all())
    if kind == "chapter":
        return False  # the work's own notice says it
    if kind == "series":
        return any(pseud.user.spammer for pseud in target.pseuds.all())
    # A comment's and a bookmark's pseud (with its user) is what their listings load.
    pseud = target.pseud if kind in ("comment", "bookmark") else target
    return bool(pseud is not None and pseud.user.spammer)


@register.simple_tag(takes_context=True)
def hidden_notice(context, target) -> str:
    """The notice a hidden item's maker and staff see (no one else reaches the page): hidden
    by staff, with the reason given, or hidden with its maker's account as spam."""
    if target is None:
        return ""
    hidden = bool(getattr(target, "hidden_by_admin", False))
    spam = _by_spammer(target)
    if not (hidden or spam):
        return ""
    return render_to_string(
        "moderation/_hidden_notice.html",
        {
            "kind": kind_of(target).label,
            "hiding": hiding_of(target) if hidden else None,
            "hidden": hidden,
            "spam": spam,
        },
    )


@register.simple_tag(takes_context=True)
def hide_controls(context, target) -> str:
    request = context.get("request")
    if request is None or target is None or not has_staff_perm(request.user, "hide_content"):
        return ""
    return render_to_string(
        "moderation/_hide_controls.html",
        {"target": target, "kind": kind_of(target).name, "return_to": request.get_full_path()},
        request=request,
    )


@register.simple_tag(takes_context=True)
def spammer_controls(context, user) -> str:
    request = context.get("request")
    if request is None or user is None or not has_staff_perm(request.user, "mark_spammer"):
        return ""
    return render_to_string(
        "moderation/_spammer_controls.html",
        {"subject": user, "return_to": request.get_full_path()},
        request=request,
    )


@register.simple_tag(takes_context=True)
def hidden_items(context, owner) -> str:
    """On `owner`'s dashboard, for them and staff: what staff hid of theirs, and why (the
    notice that stays after the e-mail)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    if request.user.pk != owner.pk and not has_staff_perm(request.user, "hide_content"):
        return ""
    rows = [
        {
            "hiding": hiding,
            "kind": kind_of(hiding.target),
            "url": kind_of(hiding.target).url(hiding.target),
        }
        for hiding in hidings_about(owner)
        if hiding.target is not None
    ]
    if not rows:
        return ""
    return render_to_string("moderation/_hidden_items.html", {"rows": rows}, request=request)
