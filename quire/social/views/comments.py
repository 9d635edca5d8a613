"""Comments: posting, replying, editing, deleting, freezing and approving, a thread's own
page, and the work page's comments section (comments_context)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quire.lib.http import login_redirect, safe_return_to
from quire.lib.limits import RateLimited, too_many_requests, wants_json
from quire.lib.spam import seconds_since
from quire.moderation.permissions import participation_refused
from quire.pages.permissions import guest_comment_refusal
from quire.works.models import Chapter
from quire.works.queries import RestrictedWork, access_work

from ..actions import (
    EDIT_AFTER_REPLY,
    EDIT_FROZEN,
    CommentError,
    CommentRateLimited,
    check_post_comment,
    do_approve_comment,
    do_delete_comment,
    do_freeze_thread,
    do_update_comment,
)
from ..forms import CommentForm
from ..permissions import (
    can_delete_comment,
    can_edit_comment,
    can_moderate_comments,
)
from ..permissions import comment_refusal as work_comment_refusal
from ..queries import (
    COMMENTS_PER_PAGE,
    THREAD_DEPTH,
    access_comment,
    comment_thread,
    unreviewed_comments,
)
from ..visitors import client_ip

COMMENT_POSTED = "Comment created!"
COMMENT_HELD = (
    "Your comment was received! It will appear publicly after the work creator has approved it."
)
SESSION_EXPIRED = (
    "Your session expired or your browser didn't send this page's security token, so your "
    "comment wasn't posted. It is below, as you typed it: please post it again."
)
SESSION_EXPIRED_ELSEWHERE = (
    "Your session expired or your browser didn't send this page's security token, so your "
    "comment wasn't posted. Please write it again below."
)


def comment_refusal(user, work, parent=None) -> str | None:
    """The work's refusal, after the site's switch for guest comments."""
    return guest_comment_refusal(user) or work_comment_refusal(user, work, parent)


def _comment_chapter(request: HttpRequest, work) -> Chapter | None:
    """The chapter a new top-level comment is on: the one named in the form when it is a
    posted chapter of the work, else the newest posted chapter (a one-shot's only one; the
    last one read in the entire-work view). Draft chapters take no comments."""
    chapters = Chapter.objects.filter(work=work, posted=True).only(
        "id", "position", "posted", "work_id", "title"
    )
    named = request.POST.get("chapter_id") or request.GET.get("chapter_id")
    if named and named.isdigit():
        chapter = chapters.filter(pk=int(named)).first()
        if chapter is not None:
            return chapter
    return chapters.order_by("-position").first()


def comment_location(comment) -> str:
    """Where a comment is shown: its work's page (the chapter's, for a chaptered work), at the
    page of threads holding it; a reply too deep to be shown there, on its parent's page."""
    from ..models import Comment

    if comment.depth >= THREAD_DEPTH:
        return f"{reverse('social:comment-show', args=[comment.parent_id])}#comment_{comment.pk}"
    work = comment.work
    earlier = Comment.objects.filter(
        work_id=work.pk, depth=0, approved=True, id__lt=comment.thread_id
    )
    if work.posted_chapter_count > 1:
        base = reverse("works:chapter-show", args=[work.pk, comment.chapter_id])
        earlier = earlier.filter(chapter_id=comment.chapter_id)
    else:
        base = reverse("works:work-show", args=[work.pk])
    page = earlier.count() // COMMENTS_PER_PAGE + 1
    query = urlencode({"show_comments": "true", **({"page": page} if page > 1 else {})})
    return f"{base}?{query}#comment_{comment.pk}"


def _comment_form_page(
    request: HttpRequest,
    *,
    work,
    form: CommentForm,
    parent=None,
    chapter=None,
    editing=None,
    error: str | None = None,
    status: int = 200,
    show_form: bool = False,
) -> HttpResponse:
    """The comment form on a page of its own: to post, reply or edit, and to show a rejected
    comment again with its text and the reason."""
    if editing is not None:
        action = reverse("social:comment-edit", args=[editing.pk])
    elif parent is not None:
        action = reverse("social:comment-reply", args=[parent.pk])
    else:
        action = reverse("social:comment-create", args=[work.pk])
    return render(
        request,
        "social/comment_form.html",
        {
            "work": work,
            "parent": parent,
            "chapter": chapter,
            "editing": editing,
            "form": form,
            "action": action,
            "form_key": (editing or parent or work).pk,
            "error": error,
            "show_form": show_form,
            "return_to": safe_return_to(request),
        },
        status=status,
    )


def _read_work_or_login(request: HttpRequest, work_id: int):
    try:
        return access_work(request.user, work_id), None
    except RestrictedWork:
        return None, login_redirect(request)


def _post_comment(request, *, work, chapter, parent=None) -> HttpResponse:
    """Check and post a comment from request.POST: a rejected one (invalid, refused, rate
    limited) comes back with its text and the reason; nothing is written."""
    form = CommentForm(request.POST, user=request.user)
    ip = client_ip(request)
    refusal = comment_refusal(request.user, work, parent)
    if chapter is None:
        refusal = refusal or "Sorry, that chapter can't be commented on."
    if refusal is None and form.is_valid():
        try:
            comment = check_post_comment(
                work, chapter, user=request.user, data=form.comment_input(), parent=parent, ip=ip
            )
        except CommentRateLimited as limited:
            return _comment_rate_limited(
                request, limited, work=work, form=form, parent=parent, chapter=chapter
            )
        except CommentError as refused:
            refusal = str(refused)
        else:
            comment.work = work
            messages.success(request, COMMENT_POSTED if comment.approved else COMMENT_HELD)
            return redirect(safe_return_to(request) or comment_location(comment))
    return _comment_form_page(
        request, work=work, form=form, parent=parent, chapter=chapter, error=refusal
    )


def _comment_rate_limited(request, limited: CommentRateLimited, **page) -> HttpResponse:
    """Past the comment rate limit, as AO3 answers: 429 with Retry-After; a JSON client gets
    JSON (lib.limits.too_many_requests), a browser the form again with its text and why."""
    if wants_json(request):
        return too_many_requests(request, RateLimited(limited.retry_after, str(limited)))
    response = _comment_form_page(request, **page, error=str(limited), status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


def comment_create(request: HttpRequest, work_id: int) -> HttpResponse:
    """GET: the comment form on its own page (/works/:id/comments/new links here too);
    POST: a new top-level comment."""
    work, response = _read_work_or_login(request, work_id)
    if response:
        return response
    chapter = _comment_chapter(request, work)
    if request.method != "POST":
        form = CommentForm(user=request.user)
        return _comment_form_page(
            request,
            work=work,
            form=form,
            chapter=chapter,
            error=comment_refusal(request.user, work),
        )
    return _post_comment(request, work=work, chapter=chapter)


def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: the reply form under the comment; POST: the reply."""
    try:
        parent = access_comment(request.user, comment_id)
    except RestrictedWork:
        return login_redirect(request)
    work = parent.work
    chapter = Chapter.objects.filter(pk=parent.chapter_id).first()
    if request.method != "POST":
        return _comment_form_page(
            request,
            work=work,
            form=CommentForm(user=request.user),
            parent=parent,
            chapter=chapter,
            error=comment_refusal(request.user, work, parent),
        )
    return _post_comment(request, work=work, chapter=chapter, parent=parent)


def comment_show(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A thread's own page: the comment and its replies, THREAD_DEPTH levels deep."""
    try:
        comment = access_comment(request.user, comment_id)
    except RestrictedWork:
        return login_redirect(request)
    return render(
        request,
        "social/comment_show.html",
        {
            "work": comment.work,
            "comment": comment,
            "threads": comment_thread(request.user, comment),
            **_comment_permissions(request, comment.work),
        },
    )


def _comment_permissions(request: HttpRequest, work) -> dict:
    return {
        "can_moderate": can_moderate_comments(request.user, work),
        "comment_refusal": comment_refusal(request.user, work),
    }


def comments_context(request: HttpRequest, work, chapter) -> dict:
    """What the work page's comments section needs (works.views calls this)."""
    from ..queries import comment_section

    page_number = request.GET.get("page")
    chapter_for_form = chapter if chapter is not None else None
    if chapter_for_form is None and work.last_chapter_id:
        chapter_for_form = Chapter(pk=work.last_chapter_id, work=work, posted=True)
    refusal = comment_refusal(request.user, work)
    if chapter_for_form is None or not chapter_for_form.posted:
        refusal = refusal or "Comments can be left on posted chapters only."
    return {
        "comments": comment_section(request.user, work, chapter, page_number),
        "comment_form": CommentForm(user=request.user),
        "comment_chapter": chapter_for_form,
        "comment_refusal": refusal,
        "can_moderate": can_moderate_comments(request.user, work),
        "full_work_comments": chapter is None and work.posted_chapter_count > 1,
    }


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    if refused := participation_refused(request, "comment"):
        return refused
    comment = access_comment(request.user, comment_id)
    work = comment.work
    if not can_edit_comment(request.user, comment):
        if comment.user_id == request.user.pk and not comment.deleted:
            if comment.frozen:
                messages.error(request, EDIT_FROZEN)
                return redirect(comment_location(comment))
            if comment.has_replies:
                messages.error(request, EDIT_AFTER_REPLY)
                return redirect(comment_location(comment))
        raise Http404("No such comment.")
    if request.method != "POST":
        form = CommentForm(user=request.user, initial={"comment_content": comment.content})
        return _comment_form_page(request, work=work, form=form, editing=comment)
    form = CommentForm(request.POST, user=request.user)
    if not form.is_valid():
        return _comment_form_page(request, work=work, form=form, editing=comment)
    try:
        do_update_comment(
            comment, work, content=form.cleaned_data["comment_content"], by=request.user
        )
    except CommentError as refused:
        return _comment_form_page(
            request, work=work, form=form, editing=comment, error=str(refused)
        )
    if comment.approved:
        messages.success(request, "Comment was successfully updated.")
    else:
        messages.success(
            request,
            "Comment was successfully updated. It will appear publicly again after the work "
            "creator has approved it.",
        )
    return redirect(comment_location(comment))


def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: a page asking to confirm (no script needed); POST: delete."""
    try:
        comment = access_comment(request.user, comment_id)
    except RestrictedWork:
        return login_redirect(request)
    work = comment.work
    if not can_delete_comment(request.user, comment, work):
        raise Http404("No such comment.")
    if request.method != "POST":
        return render(
            request, "social/comment_confirm_delete.html", {"work": work, "comment": comment}
        )
    back = safe_return_to(request)
    if not back:
        if comment.parent_id and comment.depth > THREAD_DEPTH:
            back = reverse("social:comment-show", args=[comment.parent_id])
        elif comment.approved:
            back = comment_location(comment).split("#")[0]
        else:
            back = reverse("social:unreviewed-comments", args=[work.pk])
    do_delete_comment(comment)
    messages.success(request, "Comment deleted.")
    return redirect(back)


@require_POST
def comment_freeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _freeze(request, comment_id, frozen=True)


@require_POST
def comment_unfreeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _freeze(request, comment_id, frozen=False)


def _freeze(request: HttpRequest, comment_id: int, *, frozen: bool) -> HttpResponse:
    comment = access_comment(request.user, comment_id)
    if not can_moderate_comments(request.user, comment.work) or comment.deleted:
        raise Http404("No such comment.")
    do_freeze_thread(comment, frozen=frozen)
    messages.success(
        request, "Comment thread successfully frozen!" if frozen else "Comment thread unfrozen."
    )
    return redirect(safe_return_to(request) or comment_location(comment))


@login_required
@require_POST
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment(request.user, comment_id)
    if not can_moderate_comments(request.user, comment.work):
        raise Http404("No such comment.")
    do_approve_comment(comment, comment.work)
    messages.success(request, "Comment approved.")
    return redirect("social:unreviewed-comments", work_id=comment.work_id)


@login_required
def unreviewed_comments_page(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id, for_edit=True)
    return render(
        request,
        "social/comment_unreviewed.html",
        {"work": work, "unreviewed": unreviewed_comments(work)},
    )


# After a failed CSRF check (quire.csrf): the form again, with a fresh token. The typed text
# comes back only for a post from this site, as typed (the template escapes it) and never
# validated; a post from elsewhere gets an empty form, so a forged comment is not one click
# from being published.


def _form_after_csrf_failure(request: HttpRequest, *, same_origin: bool, content: str = ""):
    """An unbound form showing what was typed (same-origin posts only), else `content`."""
    if not same_origin:
        return CommentForm(user=request.user, initial={"comment_content": content})
    names = ("comment_content", "pseud_id", "name", "email")
    typed = {name: request.POST.get(f"comment[{name}]", "") for name in names}
    form = CommentForm(user=request.user, initial=typed)
    # The time the form was first shown travels on (when genuine), so sending it again at
    # once is not "too quick" (lib/spam.py).
    started = request.POST.get(CommentForm.STARTED, "")
    if seconds_since(started) is not None:
        form.initial[CommentForm.STARTED] = started
    return form


def _after_csrf_failure(request: HttpRequest, *, same_origin: bool, **page) -> HttpResponse:
    error = SESSION_EXPIRED if same_origin else SESSION_EXPIRED_ELSEWHERE
    return _comment_form_page(request, **page, error=error, status=403, show_form=True)


def comment_create_after_csrf_failure(
    request: HttpRequest, *, same_origin: bool, work_id: int
) -> HttpResponse | None:
    try:
        work = access_work(request.user, work_id)
    except (Http404, RestrictedWork):
        return None
    return _after_csrf_failure(
        request,
        same_origin=same_origin,
        work=work,
        form=_form_after_csrf_failure(request, same_origin=same_origin),
        chapter=_comment_chapter(request, work),
    )


def comment_reply_after_csrf_failure(
    request: HttpRequest, *, same_origin: bool, comment_id: int
) -> HttpResponse | None:
    try:
        parent = access_comment(request.user, comment_id)
    except (Http404, RestrictedWork):
        return None
    return _after_csrf_failure(
        request,
        same_origin=same_origin,
        work=parent.work,
        form=_form_after_csrf_failure(request, same_origin=same_origin),
        parent=parent,
        chapter=Chapter.objects.filter(pk=parent.chapter_id).first(),
    )


def comment_edit_after_csrf_failure(
    request: HttpRequest, *, same_origin: bool, comment_id: int
) -> HttpResponse | None:
    try:
        comment = access_comment(request.user, comment_id)
    except (Http404, RestrictedWork):
        return None
    if not can_edit_comment(request.user, comment):
        return None
    # From elsewhere, the form shows the comment as it stands, not the forged text.
    form = _form_after_csrf_failure(request, same_origin=same_origin, content=comment.content)
    return _after_csrf_failure(
        request, same_origin=same_origin, work=comment.work, form=form, editing=comment
    )
