"""Template tags of the staff pages."""

from django import template

from ..queries import describe_target

register = template.Library()


@register.simple_tag
def target_view(target):
    """{% target_view target as view %}: its kind, label, public URL and creators, for any
    page that includes moderation/_target_actions.html with a target."""
    return describe_target(target)
