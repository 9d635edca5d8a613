"""A work's pages: reading it, the listings, and posting, editing, previewing and deleting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.accounts.queries import access_pseud, access_user, preference_of
from quire.lib.http import own_account_or_404, pressed, submitted
from quire.search.queries import works_index_scope
from quire.search.views import render_listing

from .. import actions
from ..forms import WorkForm
from ..models import Language
from ..pagecache import mark_guest_cacheable
from ..permissions import is_creator
from ..previews import preview_work
from ..queries import (
    access_work,
    chapter_index,
    own_pseuds,
    own_works,
    reader_chapter_index,
    work_chapters,
    work_tags,
    work_word_count,
)
from .pages import (
    adult_gate,
    count_hit,
    read_work,
    remember_adult_choice,
    render_edit_preview,
    work_context,
)


def work_show(request: HttpRequest, work_id: int) -> HttpResponse:
    work, response = read_work(request, work_id)
    if response:
        return response
    gate = adult_gate(request, work)
    if gate:
        return gate
    creator = is_creator(request.user, work)
    # The "Show the whole work by default" preference opens it whole unless the link says not.
    asked = request.GET.get("view_full_work")
    full = asked == "true" or (asked != "false" and preference_of(request.user).view_full_works)
    # A reader's one-shot has one chapter by definition; only creators may have drafts beside it.
    index = [] if work.is_oneshot and not creator else reader_chapter_index(request.user, work)
    if len(index) > 1 and not full and not work.is_oneshot:
        first = index[0]
        query = request.GET.urlencode()
        target = reverse("works:chapter-show", args=[work.pk, first.pk])
        return redirect(f"{target}?{query}" if query else target)
    response = render(
        request,
        "works/work_show.html",
        work_context(request, work, chapter=None, full=True, index=index),
    )
    return mark_guest_cacheable(count_hit(request, work, response), work)


def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    work, response = read_work(request, work_id)
    if response:
        return response
    remember_adult_choice(request)
    index = reader_chapter_index(request.user, work)
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
    pseud_row = access_pseud(request.user, owner, pseud)
    own = request.user.is_authenticated and request.user.pk == owner.pk
    return render_listing(
        request,
        scope={"pseud_id": pseud_row.pk, "include_anonymous": own},
        context={"owner": owner, "heading_by": pseud_row.byline, "pseud": pseud_row},
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
    owner = own_account_or_404(request, login)
    drafts = own_works(request.user).filter(posted=False).order_by("-updated_at")
    return render(request, "works/drafts.html", {"owner": owner, "drafts": drafts})


@login_required
def work_new(request: HttpRequest) -> HttpResponse:
    form = WorkForm(submitted(request), user=request.user, initial=_new_work_initial(request))
    if request.method == "POST" and form.is_valid():
        post = pressed(request, "post_button") is not None
        work = actions.do_create_work(form.work_input(), form.chapter_input(), post=post)
        return _after_save(request, work, post=post)
    return render(request, "works/work_form.html", {"form": form, "work": None})


def _new_work_initial(request: HttpRequest) -> dict:
    default = own_pseuds(request.user).filter(is_default=True).first()
    return {"pseuds": [default] if default else [], "language": "en", "expected_chapters": "1"}


def _after_save(request: HttpRequest, work, *, post: bool) -> HttpResponse:
    # A new work or a draft is saved as a draft before its preview (AO3 does the same):
    # readers never see drafts. A posted work's edit is previewed unsaved (work_edit).
    if pressed(request, "preview_button"):
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
        submitted(request), user=request.user, work=work, with_text=with_text, initial=initial
    )
    # "Edit" on the preview page brings the typed input back to the form, saving nothing.
    if request.method == "POST" and not pressed(request, "edit_button") and form.is_valid():
        text = form.chapter_input() if with_text else None
        if work.posted and pressed(request, "preview_button"):
            shown, shown_chapters, tag_groups = preview_work(
                work, form.work_input(), chapters=chapters, text=text
            )
            return render_edit_preview(
                request,
                shown,
                form=form,
                action=reverse("works:work-edit", args=[work.pk]),
                cancel=reverse("works:work-show", args=[work.pk]),
                chapter=None,
                full=True,
                index=[],
                preview_chapters=shown_chapters,
                preview_tag_groups=tag_groups,
            )
        actions.do_update_work(work, form.work_input(), chapter=text)
        post = pressed(request, "post_button") is not None and not work.posted
        if post:
            actions.do_post_work(work)
        return _after_save(request, work, post=post)
    return render(request, "works/work_form.html", {"form": form, "work": work})


@login_required
def work_preview(request: HttpRequest, work_id: int) -> HttpResponse:
    """The saved work as its creator's preview: a draft (with its Post button), or a posted
    work as it stands."""
    work = access_work(request.user, work_id, for_edit=True)
    index = chapter_index(work, include_drafts=True)
    if not work.posted:
        # A draft's words are not the work's until it is posted; the preview shows what
        # posting would give it (the row is not changed).
        work.word_count = work_word_count(work, include_drafts=True)
    return render(
        request,
        "works/work_show.html",
        work_context(request, work, chapter=None, full=True, index=index, preview=True),
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
