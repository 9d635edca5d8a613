from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from quire.downloads.formats import available_formats
from quire.downloads.names import series_file_name, work_file_name
from quire.downloads.permissions import can_download
from quire.downloads.xhtml import to_xhtml
from quire.pages.permissions import downloads_refusal
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


@register.simple_tag
def download_links(work) -> list[tuple[str, str]]:
    """(label, URL) for the work page's Download menu, in AO3's order, carrying
    ?updated_at=<unix seconds of the last change> (AO3.md §8); none for a work that has no
    downloads (a draft, say), or when the site's downloads are off."""
    if not can_download(work) or downloads_refusal():
        return []
    name = work_file_name(work)
    stamp = int(work.updated_at.timestamp())
    return [
        (
            fmt.label,
            reverse("downloads:work-download", args=[work.pk, name, fmt.ext])
            + f"?updated_at={stamp}",
        )
        for fmt in available_formats()
    ]


@register.simple_tag
def series_download_url(series) -> str:
    """The series' EPUB, or "" when the site's downloads are off."""
    if downloads_refusal():
        return ""
    return reverse("downloads:series-download", args=[series.pk, series_file_name(series)])
