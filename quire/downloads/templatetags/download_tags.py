from django import template
from django.utils.safestring import mark_safe

from quire.downloads.xhtml import to_xhtml
from quire.works.presenters import tag_label

register = template.Library()


@register.simple_tag(takes_context=True)
def userstuff(context, html: str):
    """Stored user HTML as the document being built needs it: as stored for the HTML
    download, as XHTML inside an EPUB."""
    if context.get("xhtml"):
        return mark_safe(to_xhtml(html, base_url=context["c"].site_url))  # noqa: S308 - sanitized on write
    return mark_safe(html)  # noqa: S308 - sanitized on write


@register.filter
def thousands(value: int) -> str:
    return f"{value or 0:,}"


@register.filter
def label(tag) -> str:
    return tag_label(tag)


@register.filter
def tag_link(tag, content) -> str:
    return content.tag_urls[tag.pk]


@register.filter
def pseud_url(content, creatorship) -> str:
    return content.pseud_url(creatorship)
