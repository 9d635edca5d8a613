"""The reader's display preferences in templates (works.display): hidden tag types, and the
version part of a fragment's cache key that keeps their variant apart."""

import re
from dataclasses import dataclass

from django import template
from django.core.cache import cache

from quire.accounts.models import WORK_TITLE_FORMAT_DEFAULT
from quire.accounts.queries import preference_of

from ..display import TagHiding, blurb_hiding, fragment_version, tag_hiding, zone_variant

register = template.Library()


@dataclass(frozen=True)
class FragmentDisplay:
    hide: TagHiding
    version: str  # for {% cache ... work.pk display.version %}


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def blurb_display(context, work) -> FragmentDisplay:
    """A blurb's hidden tags and fragment key: its date follows the reader's zone too."""
    hide = blurb_hiding(_viewer(context), work.pk)
    return FragmentDisplay(hide, fragment_version(work.version, hide.key, zone_variant()))


@register.simple_tag(takes_context=True)
def work_display(context, work, creator) -> FragmentDisplay:
    """The work page's tag list: hidden tags only (it shows no time)."""
    hide = tag_hiding(_viewer(context), creator=bool(creator))
    return FragmentDisplay(hide, fragment_version(work.version, hide.key))


# AO3 names a work of more than three fandoms this way in its page title.
MULTIFANDOM_OVER = 3


@register.simple_tag(takes_context=True)
def work_page_title(context, work, chapter=None) -> str:
    """The work page's <title> in the reader's format (AO3's TITLE - AUTHOR - FANDOM by
    default). The fandom names are kept per version, so a warm page asks nothing."""
    fandoms = cache.get_or_set(
        f"worktitle-fandoms:{work.pk}:{work.version}",
        lambda: _fandom_names(context.get("lazy")),
        86400,
    )
    if work.anonymous:
        author = "Anonymous"
    else:
        author = ", ".join(c.pseud.byline for c in work.creatorships.all())
    title = work.title if chapter is None else f"{work.title} - {chapter.heading}"
    return page_title(
        preference_of(_viewer(context)).work_title_format, title, author, fandoms or ""
    )


def _fandom_names(lazy) -> str:
    if lazy is None:
        return ""
    names = [
        tag.name for group in lazy.tag_groups() if group.type == "fandom" for tag in group.tags
    ]
    return "Multifandom" if len(names) > MULTIFANDOM_OVER else ", ".join(names)


def page_title(template_format: str, title: str, author: str, fandom: str) -> str:
    """Fill TITLE, AUTHOR and FANDOM in at once, so a title containing the word AUTHOR is
    left alone."""
    values = {"TITLE": title, "AUTHOR": author, "FANDOM": fandom}
    pattern = re.compile("|".join(values))
    return pattern.sub(lambda m: values[m.group(0)], template_format or WORK_TITLE_FORMAT_DEFAULT)
