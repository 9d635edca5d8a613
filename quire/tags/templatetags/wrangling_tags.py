from django import template
from django.urls import reverse

from quire.tags.names import tag_to_url_part

register = template.Library()


@register.filter
def tag_edit_url(tag) -> str:
    return reverse("wrangling:tag-edit", args=[tag_to_url_part(tag.name)])


@register.filter
def fandom_wrangle_url(tag) -> str:
    return reverse("wrangling:fandom-wrangle", args=[tag_to_url_part(tag.name)])
