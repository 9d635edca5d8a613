from urllib.parse import quote

from django import template
from django.urls import reverse

from quire.tags.names import tag_to_url_part
from quire.works.presenters import group_tags, required_symbols, tag_label

register = template.Library()


@register.filter
def tag_path(name: str) -> str:
    """The escaped path part of a tag URL: "A/B" -> "A*s*B", then percent-encoded."""
    return quote(tag_to_url_part(name), safe="*")


@register.filter
def tag_works_url(tag) -> str:
    return reverse("tags:tag-works", args=[tag_to_url_part(tag.name)])


@register.filter
def tag_url(tag) -> str:
    return reverse("tags:tag-show", args=[tag_to_url_part(tag.name)])


@register.filter
def label(tag) -> str:
    return tag_label(tag)


@register.filter
def blurb_tags(work):
    """A listed work's tags from its prefetched taggings, grouped for the blurb."""
    return group_tags([tagging.tag for tagging in work.taggings.all()])


@register.filter
def blurb_symbols(work):
    return required_symbols([t.tag for t in work.taggings.all()], complete=work.complete)


@register.filter
def creatorships(work):
    return list(work.creatorships.all())


@register.filter
def creator_user_ids(work) -> list[int]:
    """Each creator's user id once, in byline order: a work by two pseuds of one user gets
    one user-<id> class on its blurb."""
    return list(dict.fromkeys(c.pseud.user_id for c in work.creatorships.all()))
