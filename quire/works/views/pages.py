"""What the work and chapter pages share: the reading door, the adult gate, the page's
context (each subject's part asked of its own module), and the preview of an unsaved edit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from quire.accounts.queries import preference_of
from quire.lib.http import login_redirect
from quire.social.actions import do_record_hit, do_record_reading
from quire.social.permissions import can_leave_kudos, counts_hit
from quire.social.queries import kudos_summary, own_reading, own_subscription
from quire.social.views import client_ip, comments_context

from ..pagecache import mark_guest_cacheable
from ..permissions import can_see_hidden_work, is_creator, skips_adult_gate
from ..presenters import group_tags
from ..queries import RestrictedWork, access_work, series_positions, work_chapters, work_tags


def read_work(request: HttpRequest, work_id: int):
    """access_work for reading pages; a restricted work sends guests to log in."""
    try:
        return access_work(request.user, work_id), None
    except RestrictedWork:
        return None, login_redirect(request)


def remember_adult_choice(request: HttpRequest) -> None:
    """AO3.md §7: ?view_adult=true on any work, chapter or navigate URL holds for the session."""
    if request.GET.get("view_adult") == "true" and not request.session.get("view_adult"):
        request.session["view_adult"] = True


def adult_gate(request: HttpRequest, work) -> HttpResponse | None:
    if not work.adult:
        return None
    remember_adult_choice(request)
    if request.session.get("view_adult") or skips_adult_gate(request.user, work):
        return None
    params = request.GET.copy()
    params["view_adult"] = "true"
    response = render(
        request,
        "works/work_adult.html",
        {"work": work, "continue_url": f"{request.path}?{params.urlencode()}"},
    )
    return mark_guest_cacheable(response, work)


def work_context(request: HttpRequest, work, **extra) -> dict:
    creator = is_creator(request.user, work)
    # Staff read the chapters staff hid; the cached chapters fragment is keyed by both.
    sees_hidden = creator or can_see_hidden_work(request.user)
    context = {
        "work": work,
        "is_creator": creator,
        "sees_hidden": sees_hidden,
        "viewer_class": "user" if request.user.is_authenticated else "guest",
        "series_positions": series_positions(work, request.user),
        "hide_skin": hides_work_skin(request),
        "lazy": _LazyWork(work, include_drafts=creator, include_hidden=sees_hidden),
        "kudos": kudos_summary(work),
        "kudos_form": can_leave_kudos(request.user, work),
        "marked_for_later": _record_reading(request, work, creator=creator),
        "subscription": (
            own_subscription(request.user, work=work) if work.posted and not creator else None
        ),
    }
    context.update(extra)
    if not context.get("preview"):
        context.update(comments_context(request, work, context.get("chapter")))
    return context


def hides_work_skin(request: HttpRequest) -> bool:
    """?style=disable hides the creator's work skin, ?style=enable (or AO3's =creator) shows
    it; otherwise the reader's "Hide work skins" preference decides."""
    style = request.GET.get("style")
    if style in ("enable", "creator"):
        return False
    return style == "disable" or preference_of(request.user).disable_work_skins


def neighbours(index: list, chapter) -> dict:
    """The chapters before and after `chapter` in the reader's index."""
    position = [c.pk for c in index].index(chapter.pk)
    return {
        "previous_chapter": index[position - 1] if position > 0 else None,
        "next_chapter": index[position + 1] if position + 1 < len(index) else None,
    }


def render_edit_preview(
    request: HttpRequest, work, *, form, action: str, cancel: str, **context
) -> HttpResponse:
    """The work page as an unsaved edit would make it (works/previews.py builds the copies),
    for its creator, with the typed input in hidden fields and Edit, Update and Cancel."""
    return render(
        request,
        "works/work_show.html",
        work_context(
            request,
            work,
            preview=True,
            edit_preview={"form": form, "action": action, "cancel": cancel},
            **context,
        ),
    )


class _LazyWork:
    """What the cached fragments of a work page need, fetched only on a cache miss."""

    def __init__(self, work, *, include_drafts: bool, include_hidden: bool) -> None:
        self.work = work
        self.include_drafts = include_drafts
        self.include_hidden = include_hidden
        self._tag_groups: list | None = None

    def tag_groups(self):
        # Kept: the page title (its fandoms) and the tag list may both ask on a cold cache.
        if self._tag_groups is None:
            self._tag_groups = group_tags(work_tags(self.work))
        return self._tag_groups

    def chapters(self):
        return list(
            work_chapters(
                self.work, include_drafts=self.include_drafts, include_hidden=self.include_hidden
            )
        )


def count_hit(request: HttpRequest, work, response: HttpResponse) -> HttpResponse:
    """Buffer a hit for this reading of the work; a guest page kept by the page cache says it
    counts, so the cache counts its later guests too (pagecache.GuestPageCacheMiddleware)."""
    if counts_hit(request.user, work):
        do_record_hit(work.pk, client_ip(request))
        response.guest_page_hit = True  # type: ignore[attr-defined]
    return response


def _record_reading(request: HttpRequest, work, *, creator: bool) -> bool:
    """Record this view in the reader's history; whether the work is Marked for Later. Only
    logged-in pages differ here, and the page cache never keeps those."""
    if creator or not request.user.is_authenticated:
        return False
    toread = do_record_reading(request.user, work)
    if toread is None:  # history off (or a draft): the mark may still be there
        reading = own_reading(request.user, work)
        return bool(reading and reading.toread)
    return toread
