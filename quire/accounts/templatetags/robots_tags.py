"""AO3's "Hide my work from search engines when possible": pages of such a creator ask
search engines not to index them."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..queries import preference_of

register = template.Library()

NOINDEX = "noindex"


def _users(subject) -> list:
    # A work (its creators, prefetched with their preferences by works.queries.with_creators)
    # or an account.
    creatorships = getattr(subject, "creatorships", None)
    if creatorships is not None:
        return [creatorship.pseud.user for creatorship in creatorships.all()]
    return [subject] if subject is not None else []


def wants_noindex(subject) -> bool:
    return any(preference_of(user).minimize_search_engines for user in _users(subject))


@register.simple_tag(takes_context=True)
def robots_meta(context, subject) -> SafeString:
    """`<meta name="robots" content="noindex">` when `subject` (a work, or an account whose
    dashboard, profile or pseud page this is) asks for it; the request is marked too, so
    accounts.middleware.robots_header sends X-Robots-Tag."""
    if not wants_noindex(subject):
        return SafeString()
    request = context.get("request")
    if request is not None:
        request.robots_noindex = True
    return format_html('<meta name="robots" content="{}">', NOINDEX)
