"""Work, chapter and series pages. Views are thin: access_*, a form, one do_*, a response."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.accounts.models import User
from quire.accounts.queries import access_user
from quire.lib.sanitize import format_user_text
from quire.search.queries import works_index_scope
from quire.search.views import render_listing
from quire.social.actions import do_record_hit, do_record_reading
from quire.social.permissions import can_leave_kudos, counts_hit
from quire.social.queries import (
    kudos_summary,
    own_bookmark,
    own_reading,
    own_subscription,
    public_series_bookmarks,
)
from quire.social.views import client_ip, comments_context

from . import actions
from .forms import ChapterForm, ReorderChaptersForm, SeriesForm, WorkForm
from .models import Chapter, Language
from .pagecache import mark_guest_cacheable
from .permissions import is_creator, skips_adult_gate
from .presenters import group_tags
from .queries import (
    SERIES_ORDER,
    RestrictedWork,
    access_chapter,
    access_series,
    access_work,
    blurb_page,
    chapter_index,
    own_works,
    series_positions,
    series_works,
    without_muted_works,
    work_chapters,
    work_tags,
)


def _submitted(request: HttpRequest):
    """The posted data, else None. `request.POST or None` would treat a post with nothing in
    it (every box unticked, the CSRF token in a header) as no submission at all."""
    return request.POST if request.method == "POST" else None


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"restricted": "true", "return_to": request.get_full_path()})
    return redirect(f"{reverse('account_login')}?{query}")


def _read_work(request: HttpRequest, work_id: int):
    """access_work for reading pages; a restricted work sends guests to log in."""
    try:
        return access_work(request.user, work_id), None
    except RestrictedWork:
        return None, _login_redirect(request)


def _remember_adult_choice(request: HttpRequest) -> None:
    """AO3.md §7: ?view_adult=true on any work, chapter or navigate URL holds for the session."""
    if request.GET.get("view_adult") == "true" and not request.session.get("view_adult"):
        request.session["view_adult"] = True


def _adult_gate(request: HttpRequest, work) -> HttpResponse | None:
    if not work.adult:
        return None
    _remember_adult_choice(request)
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


def _work_context(request: HttpRequest, work, **extra) -> dict:
    creator = is_creator(request.user, work)
    context = {
        "work": work,
        "is_creator": creator,
        "viewer_class": "user" if request.user.is_authenticated else "guest",
        "series_positions": series_positions(work, request.user),
        "hide_skin": request.GET.get("style") == "disable",
        "lazy": _LazyWork(work, include_drafts=creator),
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


class _LazyWork:
    """What the cached fragments of a work page need, fetched only on a cache miss."""

    def __init__(self, work, *, include_drafts: bool) -> None:
        self.work = work
        self.include_drafts = include_drafts

    def tag_groups(self):
        return group_tags(work_tags(self.work))

    def chapters(self):
        return list(work_chapters(self.work, include_drafts=self.include_drafts))


def _count_hit(request: HttpRequest, work, response: HttpResponse) -> HttpResponse:
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


def work_show(request: HttpRequest, work_id: int) -> HttpResponse:
    work, response = _read_work(request, work_id)
    if response:
        return response
    gate = _adult_gate(request, work)
    if gate:
        return gate
    creator = is_creator(request.user, work)
    full = request.GET.get("view_full_work") == "true"
    # A reader's one-shot has one chapter by definition; only creators may have drafts beside it.
    index = [] if work.is_oneshot and not creator else chapter_index(work, include_drafts=creator)
    if len(index) > 1 and not full and not work.is_oneshot:
        first = index[0]
        query = request.GET.urlencode()
        target = reverse("works:chapter-show", args=[work.pk, first.pk])
        return redirect(f"{target}?{query}" if query else target)
    response = render(
        request,
        "works/work_show.html",
        _work_context(request, work, chapter=None, full=True, index=index),
    )
    return mark_guest_cacheable(_count_hit(request, work, response), work)


def chapter_show(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, response = _read_work(request, work_id)
    if response:
        return response
    gate = _adult_gate(request, work)
    if gate:
        return gate
    creator = is_creator(request.user, work)
    index = chapter_index(work, include_drafts=creator)
    chapter = next((c for c in index if c.pk == chapter_id), None)
    if chapter is None:
        raise Http404("No such chapter.")
    position = [c.pk for c in index].index(chapter.pk)
    chapter_pk = chapter.pk
    response = render(
        request,
        "works/work_show.html",
        _work_context(
            request,
            work,
            chapter=chapter,
            # Called by the template only when the cached fragment is missing.
            lazy_chapter=lambda: list(Chapter.objects.filter(pk=chapter_pk)),
            full=False,
            index=index,
            previous_chapter=index[position - 1] if position > 0 else None,
            next_chapter=index[position + 1] if position + 1 < len(index) else None,
        ),
    )
    return mark_guest_cacheable(_count_hit(request, work, response), work)


def chapter_redirect(request: HttpRequest, chapter_id: int) -> HttpResponse:
    try:
        chapter = access_chapter(request.user, chapter_id)
    except RestrictedWork:
        return _login_redirect(request)
    target = reverse("works:chapter-show", args=[chapter.work_id, chapter.pk])
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)


def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    work, response = _read_work(request, work_id)
    if response:
        return response
    _remember_adult_choice(request)
    index = chapter_index(work, include_drafts=is_creator(request.user, work))
    response = render(request, "works/work_navigate.html", {"work": work, "index": index})
    return mark_guest_cacheable(response, work)


def work_index(request: HttpRequest) -> HttpResponse:
    scope, context = works_index_scope(request.user, request.GET)
    return render_listing(request, scope=scope, context=context)


def user_works(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    # A creator's anonymous works are listed to them alone: to anyone else the list would
    # say who wrote them.
    own = request.user.is_authenticated and request.user.pk == owner.pk
    return render_listing(
        request,
        scope={"creator_id": owner.pk, "include_anonymous": own},
        context={"owner": owner, "heading_by": owner.username},
    )


def pseud_works(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    owner = access_user(login)
    pseud_row = get_object_or_404(owner.pseuds, name__iexact=pseud)
    own = request.user.is_authenticated and request.user.pk == owner.pk
    return render_listing(
        request,
        scope={"pseud_id": pseud_row.pk, "include_anonymous": own},
        context={"owner": owner, "heading_by": pseud_row.byline},
    )


def language_works(request: HttpRequest, code: str) -> HttpResponse:
    language = get_object_or_404(Language, code=code)
    return render_listing(
        request,
        scope={"language_id": language.pk},
        context={"heading_language": language},
    )


@login_required
def user_drafts(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    drafts = own_works(request.user).filter(posted=False).order_by("-updated_at")
    return render(request, "works/drafts.html", {"owner": owner, "drafts": drafts})


@login_required
def work_new(request: HttpRequest) -> HttpResponse:
    form = WorkForm(_submitted(request), user=request.user, initial=_new_work_initial(request))
    if request.method == "POST" and form.is_valid():
        post = "post_button" in request.POST
        work = actions.do_create_work(form.work_input(), form.chapter_input(), post=post)
        return _after_save(request, work, post=post)
    return render(request, "works/work_form.html", {"form": form, "work": None})


def _new_work_initial(request: HttpRequest) -> dict:
    default = request.user.pseuds.filter(is_default=True).first()
    return {"pseuds": [default] if default else [], "language": "en", "expected_chapters": "1"}


def _after_save(request: HttpRequest, work, *, post: bool) -> HttpResponse:
    if "preview_button" in request.POST:
        return redirect("works:work-preview", work_id=work.pk)
    if post or work.posted:
        messages.success(request, "Work was successfully posted." if post else "Work updated.")
    else:
        messages.success(
            request,
            "Draft was successfully saved. Quire keeps drafts until you post or delete them.",
        )
    return redirect("works:work-show", work_id=work.pk)


@login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    chapters = list(work_chapters(work, include_drafts=True))
    with_text = len(chapters) == 1
    initial = WorkForm.initial_for(work, work_tags(work), chapters[0] if with_text else None)
    form = WorkForm(
        _submitted(request), user=request.user, work=work, with_text=with_text, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        actions.do_update_work(
            work, form.work_input(), chapter=form.chapter_input() if with_text else None
        )
        post = "post_button" in request.POST and not work.posted
        if post:
            actions.do_post_work(work)
        return _after_save(request, work, post=post)
    return render(request, "works/work_form.html", {"form": form, "work": work})


@login_required
def work_preview(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    index = chapter_index(work, include_drafts=True)
    return render(
        request,
        "works/work_show.html",
        _work_context(request, work, chapter=None, full=True, index=index, preview=True),
    )


@login_required
@require_POST
def work_post(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    actions.do_post_work(work)
    messages.success(request, "Work was successfully posted.")
    return redirect("works:work-show", work_id=work.pk)


@login_required
def work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    if request.method == "POST":
        title = work.title
        actions.do_delete_work(work)
        messages.success(request, f"Your work {title} was deleted.")
        return redirect("works:user-works", login=request.user.username)
    return render(request, "works/work_confirm_delete.html", {"work": work})


@login_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    form = ChapterForm(_submitted(request))
    if request.method == "POST" and form.is_valid():
        post = "post_button" in request.POST
        chapter = actions.do_add_chapter(work, form.chapter_input(), post=post)
        if not work.posted:
            messages.success(request, "Chapter was saved. It will be posted with the work.")
        elif post:
            messages.success(request, "Chapter was successfully posted.")
        else:
            messages.success(request, "This is a draft chapter; post it when it is ready.")
        return redirect("works:chapter-show", work_id=work.pk, chapter_id=chapter.pk)
    return render(request, "works/chapter_form.html", {"form": form, "work": work, "chapter": None})


def _own_chapter(request: HttpRequest, work_id: int, chapter_id: int):
    work = access_work(request.user, work_id, for_edit=True)
    chapter = get_object_or_404(Chapter, pk=chapter_id, work=work)
    chapter.work = work
    return work, chapter


@login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, chapter = _own_chapter(request, work_id, chapter_id)
    form = ChapterForm(_submitted(request), initial=ChapterForm.chapter_initial(chapter))
    if request.method == "POST" and form.is_valid():
        actions.do_update_chapter(chapter, form.chapter_input())
        if "post_button" in request.POST and work.posted and not chapter.posted:
            actions.do_post_chapter(chapter)
        messages.success(request, "Chapter was successfully updated.")
        return redirect("works:chapter-show", work_id=work.pk, chapter_id=chapter.pk)
    return render(
        request, "works/chapter_form.html", {"form": form, "work": work, "chapter": chapter}
    )


@login_required
@require_POST
def chapter_post(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, chapter = _own_chapter(request, work_id, chapter_id)
    if not work.posted:
        messages.error(request, "Post the work first; its chapters are posted with it.")
    else:
        actions.do_post_chapter(chapter)
        messages.success(request, "Chapter was successfully posted.")
    return redirect("works:chapter-show", work_id=work.pk, chapter_id=chapter.pk)


@login_required
def chapter_delete(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, chapter = _own_chapter(request, work_id, chapter_id)
    others = Chapter.objects.filter(work=work).exclude(pk=chapter.pk)
    if work.posted and chapter.posted:
        # As on AO3: a posted work keeps at least one posted chapter for its readers.
        others = others.filter(posted=True)
    only_chapter = not others.exists()
    if request.method == "POST" and not only_chapter:
        actions.do_delete_chapter(chapter)
        messages.success(request, "The chapter was successfully deleted.")
        return redirect("works:work-show", work_id=work.pk)
    return render(
        request,
        "works/chapter_confirm_delete.html",
        {"work": work, "chapter": chapter, "only_chapter": only_chapter},
    )


@login_required
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    chapters = chapter_index(work, include_drafts=True)
    form = ReorderChaptersForm(_submitted(request), chapters=chapters)
    if request.method == "POST" and form.is_valid():
        actions.do_reorder_chapters(work, form.ordered_ids())
        messages.success(request, "Chapter order has been successfully updated.")
        return redirect("works:work-navigate", work_id=work.pk)
    return render(request, "works/chapters_manage.html", {"form": form, "work": work})


def series_show(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    works = without_muted_works(request.user, series_works(series, request.user))
    page = blurb_page(works, request.GET.get("page"), order=SERIES_ORDER)
    return render(
        request,
        "works/series_show.html",
        {
            "series": series,
            "page": page,
            "stats": _series_stats(works),
            "can_edit": _owns_series(request.user, series),
            "subscription": own_subscription(request.user, series=series),
            "own_bookmark": own_bookmark(request.user, series=series),
            "bookmarks_count": public_series_bookmarks(request.user, series).count(),
        },
    )


def _owns_series(user: User, series) -> bool:
    return user.is_authenticated and any(p.user_id == user.pk for p in series.pseuds.all())


def _series_stats(works) -> dict:
    return works.aggregate(words=Sum("word_count"), count=Count("id"))


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    if not _owns_series(request.user, series):
        raise Http404("No such series.")
    form = SeriesForm(
        _submitted(request),
        initial={
            "title": series.title,
            "summary": series.summary,
            "notes": series.notes,
            "complete": series.complete,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_update_series(
            series,
            title=data["title"],
            summary=format_user_text(data["summary"]),
            notes=format_user_text(data["notes"]),
            complete=data["complete"],
        )
        messages.success(request, "Series was successfully updated.")
        return redirect("works:series-show", series_id=series.pk)
    return render(request, "works/series_form.html", {"form": form, "series": series})
