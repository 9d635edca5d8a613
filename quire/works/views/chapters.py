"""A chapter's pages: reading it, and adding, editing, previewing, posting, deleting and
ordering chapters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.lib.http import login_redirect, pressed, submitted

from .. import actions
from ..forms import ChapterForm, ReorderChaptersForm
from ..models import Chapter
from ..pagecache import mark_guest_cacheable
from ..previews import preview_chapter, preview_chapter_in_work
from ..queries import (
    RestrictedWork,
    access_chapter,
    access_work,
    chapter_index,
    reader_chapter_index,
)
from .pages import adult_gate, count_hit, neighbours, read_work, render_edit_preview, work_context


def chapter_show(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work, response = read_work(request, work_id)
    if response:
        return response
    gate = adult_gate(request, work)
    if gate:
        return gate
    index = reader_chapter_index(request.user, work)
    chapter = next((c for c in index if c.pk == chapter_id), None)
    if chapter is None:
        raise Http404("No such chapter.")
    chapter_pk = chapter.pk
    response = render(
        request,
        "works/work_show.html",
        work_context(
            request,
            work,
            chapter=chapter,
            # Called by the template only when the cached fragment is missing.
            lazy_chapter=lambda: list(Chapter.objects.filter(pk=chapter_pk)),
            full=False,
            index=index,
            **neighbours(index, chapter),
        ),
    )
    return mark_guest_cacheable(count_hit(request, work, response), work)


def chapter_redirect(request: HttpRequest, chapter_id: int) -> HttpResponse:
    try:
        chapter = access_chapter(request.user, chapter_id)
    except RestrictedWork:
        return login_redirect(request)
    target = reverse("works:chapter-show", args=[chapter.work_id, chapter.pk])
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)


@login_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    form = ChapterForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        post = pressed(request, "post_button") is not None
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
    form = ChapterForm(submitted(request), initial=ChapterForm.chapter_initial(chapter))
    # "Edit" on the preview page brings the typed input back to the form, saving nothing.
    if request.method == "POST" and not pressed(request, "edit_button") and form.is_valid():
        if pressed(request, "preview_button"):
            return _preview(request, work, chapter, form)
        actions.do_update_chapter(chapter, form.chapter_input())
        if pressed(request, "post_button") and work.posted and not chapter.posted:
            actions.do_post_chapter(chapter)
        messages.success(request, "Chapter was successfully updated.")
        return redirect("works:chapter-show", work_id=work.pk, chapter_id=chapter.pk)
    index = chapter_index(work, include_drafts=True)
    return render(
        request,
        "works/chapter_form.html",
        {"form": form, "work": work, "chapter": chapter, "chapters_count": len(index)},
    )


def _preview(request: HttpRequest, work, chapter, form) -> HttpResponse:
    """The chapter page as the edit would make it, saving nothing (works/previews.py)."""
    shown = preview_chapter(chapter, form.chapter_input())
    index = chapter_index(work, include_drafts=True)
    page = reverse("works:chapter-show", args=[work.pk, chapter.pk])
    return render_edit_preview(
        request,
        preview_chapter_in_work(work, chapter, shown),
        form=form,
        action=reverse("works:chapter-edit", args=[work.pk, chapter.pk]),
        cancel=page,
        chapter=shown,
        full=False,
        index=index,
        preview_chapters=[shown],
        **neighbours(index, chapter),
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
    form = ReorderChaptersForm(submitted(request), chapters=chapters)
    if request.method == "POST" and form.is_valid():
        actions.do_reorder_chapters(work, form.ordered_ids())
        messages.success(request, "Chapter order has been successfully updated.")
        return redirect("works:work-navigate", work_id=work.pk)
    return render(request, "works/chapters_manage.html", {"form": form, "work": work})
