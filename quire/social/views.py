"""Kudos (a form post that redirects back to the work, or JSON for the page's script),
bookmarks (their form, and the three listings), reading history, comments and the inbox, and
subscriptions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.http import require_http_methods, require_POST

from quire.accounts.queries import access_user
from quire.search.queries import blocked_works
from quire.works.models import Chapter, Work
from quire.works.permissions import is_creator
from quire.works.queries import RestrictedWork, access_series, access_work

from .actions import (
    BookmarkExists,
    CommentError,
    KudosError,
    SubscriptionError,
    do_approve_comment,
    do_clear_readings,
    do_create_bookmark,
    do_create_comment,
    do_create_series_bookmark,
    do_delete_bookmark,
    do_delete_comment,
    do_delete_inbox,
    do_delete_notices,
    do_delete_reading,
    do_freeze_thread,
    do_leave_kudos,
    do_mark_for_later,
    do_mark_inbox,
    do_mark_notices_read,
    do_subscribe,
    do_unsubscribe,
    do_unsubscribe_all,
    do_update_bookmark,
    do_update_comment,
    hash_ip,
)
from .forms import BookmarkForm, CommentForm
from .models import Subscription
from .permissions import (
    GUEST_ON_RESTRICTED,
    can_delete_comment,
    can_edit_comment,
    can_moderate_comments,
    comment_refusal,
)
from .queries import (
    COMMENTS_PER_PAGE,
    SUBSCRIPTION_TYPES,
    THREAD_DEPTH,
    access_bookmark,
    access_comment,
    access_reading,
    access_subscribable_user,
    access_subscription,
    bookmark_page,
    comment_rate_refusal,
    comment_thread,
    inbox_page,
    kudos_summary,
    own_bookmark,
    reading_page,
    subscription_page,
    subscriptions_of,
    unreviewed_comments,
    visible_bookmarks,
    visible_readings,
    without_muted,
)

KUDOS_THANKS = "Thank you for leaving kudos!"


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, the proxy must set REMOTE_ADDR (e.g. granian/nginx real-ip).
    return request.META.get("REMOTE_ADDR") or None


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Requested-With"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("Accept", "")


@require_POST
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    work: Work | None
    error: str | None
    try:
        work = access_work(request.user, work_id)
    except RestrictedWork:
        work, error = None, GUEST_ON_RESTRICTED
    else:
        try:
            do_leave_kudos(work, user=request.user, ip=client_ip(request))
            error = None
        except KudosError as refused:
            error = str(refused)
    if _wants_json(request):
        if work is None:
            return JsonResponse({"ok": False, "message": error}, status=403)
        work.stats.refresh_from_db(fields=["kudos_count"])
        html = render_to_string("social/_kudos_list.html", {"kudos": kudos_summary(work)})
        return JsonResponse(
            {
                "ok": error is None,
                "message": error or KUDOS_THANKS,
                "kudos_count": work.stats.kudos_count,
                "kudos_html": html,
            },
            status=422 if error else 201,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, KUDOS_THANKS)
    return redirect("works:work-show", work_id=work_id)


# Bookmarks


def _submitted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"restricted": "true", "return_to": request.get_full_path()})
    return redirect(f"{reverse('account_login')}?{query}")


@login_required
def bookmark_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    if not work.posted:
        raise Http404("No such work.")
    existing = own_bookmark(request.user, work)
    if existing is not None:
        return redirect("social:bookmark-edit", bookmark_id=existing.pk)
    form = BookmarkForm(_submitted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            do_create_bookmark(work, owner=request.user, data=form.bookmark_input())
        except BookmarkExists as exists:
            return redirect("social:bookmark-edit", bookmark_id=exists.bookmark.pk)
        messages.success(request, "Bookmark was successfully created.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request, "social/bookmark_form.html", {"form": form, "work": work, "bookmark": None}
    )


@login_required
def series_bookmark_new(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    existing = own_bookmark(request.user, series=series)
    if existing is not None:
        return redirect("social:bookmark-edit", bookmark_id=existing.pk)
    form = BookmarkForm(_submitted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            do_create_series_bookmark(series, owner=request.user, data=form.bookmark_input())
        except BookmarkExists as exists:
            return redirect("social:bookmark-edit", bookmark_id=exists.bookmark.pk)
        messages.success(request, "Bookmark was successfully created.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request,
        "social/bookmark_form.html",
        {"form": form, "work": None, "series": series, "bookmark": None},
    )


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark(request.user, bookmark_id)
    form = BookmarkForm(_submitted(request), user=request.user, bookmark=bookmark)
    if request.method == "POST" and form.is_valid():
        do_update_bookmark(bookmark, form.bookmark_input())
        messages.success(request, "Bookmark was successfully updated.")
        return redirect("social:user-bookmarks", login=request.user.username)
    return render(
        request,
        "social/bookmark_form.html",
        {"form": form, "work": bookmark.work, "series": bookmark.series, "bookmark": bookmark},
    )


@login_required
@require_POST
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = access_bookmark(request.user, bookmark_id)
    do_delete_bookmark(bookmark)
    messages.success(request, "Bookmark was successfully deleted.")
    return redirect("social:user-bookmarks", login=request.user.username)


def _bookmark_listing(request: HttpRequest, bookmarks, **context) -> HttpResponse:
    page = bookmark_page(request.user, bookmarks, request.GET.get("page"))
    return render(request, "social/bookmark_index.html", {"page": page, **context})


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = access_work(request.user, work_id)
    except RestrictedWork:
        return _login_redirect(request)
    bookmarks = visible_bookmarks(request.user).filter(work=work, private=False)
    return _bookmark_listing(request, without_muted(request.user, bookmarks), work=work)


def series_bookmarks(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    bookmarks = visible_bookmarks(request.user).filter(series=series, private=False)
    return _bookmark_listing(request, without_muted(request.user, bookmarks), series=series)


def user_bookmarks(request: HttpRequest, login: str) -> HttpResponse:
    owner = access_user(login)
    # visible_bookmarks leaves private bookmarks to their owner alone.
    bookmarks = visible_bookmarks(request.user).filter(owner=owner)
    if owner.pk != request.user.pk:
        # Another reader's list is a listing like any other: the viewer's blocklist and
        # mutes apply.
        bookmarks = bookmarks.exclude(work__in=blocked_works(request.user).values("pk"))
        bookmarks = without_muted(request.user, bookmarks)
    return _bookmark_listing(request, bookmarks, owner=owner)


def bookmark_index(request: HttpRequest) -> HttpResponse:
    bookmarks = visible_bookmarks(request.user).filter(private=False)
    bookmarks = bookmarks.exclude(work__in=blocked_works(request.user).values("pk"))
    return _bookmark_listing(request, without_muted(request.user, bookmarks))


# Reading history and Marked for Later


def _own_history(request: HttpRequest, login: str):
    """The viewer's own account; anyone else's history does not exist for them."""
    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    return owner


@login_required
def user_readings(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_history(request, login)
    to_read = request.GET.get("show") == "to-read"
    readings = visible_readings(owner)
    if to_read:
        readings = readings.filter(toread=True)
    page = reading_page(request.user, readings, request.GET.get("page"))
    return render(
        request, "social/reading_index.html", {"page": page, "owner": owner, "to_read": to_read}
    )


@login_required
@require_POST
def reading_delete(request: HttpRequest, login: str, reading_id: int) -> HttpResponse:
    owner = _own_history(request, login)
    do_delete_reading(access_reading(request.user, reading_id))
    messages.success(request, "Work successfully deleted from your history.")
    return redirect("social:user-readings", login=owner.username)


@login_required
@require_POST
def readings_clear(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_history(request, login)
    do_clear_readings(owner)
    messages.success(request, "Your history is now cleared.")
    return redirect("social:user-readings", login=owner.username)


def _mark(request: HttpRequest, work_id: int, *, toread: bool) -> HttpResponse:
    work = access_work(request.user, work_id)
    if not work.posted:
        raise Http404("No such work.")
    do_mark_for_later(request.user, work, toread=toread)
    if toread:
        messages.success(
            request,
            "This work was added to your Marked for Later list. It may take a while for "
            "changes to show up.",
        )
    else:
        messages.success(request, "This work was removed from your Marked for Later list.")
    return redirect("works:work-show", work_id=work.pk)


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    return _mark(request, work_id, toread=True)


@login_required
@require_POST
def mark_as_read(request: HttpRequest, work_id: int) -> HttpResponse:
    return _mark(request, work_id, toread=False)


# Comments

COMMENT_POSTED = "Comment created!"
COMMENT_HELD = (
    "Your comment was received! It will appear publicly after the work creator has approved it."
)
SESSION_EXPIRED = (
    "Your session expired or your browser didn't send this page's security token, so your "
    "comment wasn't posted. It is below, as you typed it: please post it again."
)


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


def _return_to(request: HttpRequest) -> str:
    target = request.POST.get("return_to") or request.GET.get("return_to") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def comment_location(comment) -> str:
    """Where a comment is shown: its work's page (the chapter's, for a chaptered work), at the
    page of threads holding it; a reply too deep to be shown there, on its parent's page."""
    from .models import Comment

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
            "return_to": _return_to(request),
        },
        status=status,
    )


def _read_work_or_login(request: HttpRequest, work_id: int):
    try:
        return access_work(request.user, work_id), None
    except RestrictedWork:
        return None, _login_redirect(request)


def _post_comment(request, *, work, chapter, parent=None) -> HttpResponse:
    """Check and post a comment from request.POST: a rejected one (invalid, refused, rate
    limited) comes back with its text and the reason; nothing is written."""
    form = CommentForm(request.POST, user=request.user)
    ip = client_ip(request)
    refusal = comment_refusal(request.user, work, parent)
    if chapter is None:
        refusal = refusal or "Sorry, that chapter can't be commented on."
    if refusal is None and form.is_valid():
        refusal = comment_rate_refusal(request.user, hash_ip(ip) if ip else "")
    if refusal or not form.is_valid():
        return _comment_form_page(
            request, work=work, form=form, parent=parent, chapter=chapter, error=refusal
        )
    comment = do_create_comment(
        work, chapter, user=request.user, data=form.comment_input(), parent=parent, ip=ip
    )
    comment.work = work
    if comment.approved:
        messages.success(request, COMMENT_POSTED)
    else:
        messages.success(request, COMMENT_HELD)
    return redirect(_return_to(request) or comment_location(comment))


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
        return _login_redirect(request)
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
        return _login_redirect(request)
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
    from .queries import comment_section

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
    comment = access_comment(request.user, comment_id)
    work = comment.work
    if not can_edit_comment(request.user, comment):
        if comment.user_id == request.user.pk and comment.has_replies:
            messages.error(request, "Comments can't be edited once someone has replied to them.")
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
        return _login_redirect(request)
    work = comment.work
    if not can_delete_comment(request.user, comment, work):
        raise Http404("No such comment.")
    if request.method != "POST":
        return render(
            request, "social/comment_confirm_delete.html", {"work": work, "comment": comment}
        )
    back = _return_to(request)
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
    return redirect(_return_to(request) or comment_location(comment))


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a comment posted without a valid token (a session that
    expired, a guest's cached page and no script to fetch a token) is not lost: its form comes
    back with the text and a fresh token. Any other post gets Django's page."""
    try:
        match = resolve(request.path)
    except Resolver404:
        match = None
    if match is not None and match.namespace == "social" and match.url_name == "kudos-create":
        return _kudos_confirm_page(request, match.kwargs["work_id"], reason)
    names = {"comment-create", "comment-reply", "comment-edit"}
    if match is None or match.namespace != "social" or match.url_name not in names:
        return django_csrf_failure(request, reason)
    try:
        form = CommentForm(request.POST, user=request.user)
        form.is_valid()
        if match.url_name == "comment-create":
            work = access_work(request.user, match.kwargs["work_id"])
            return _comment_form_page(
                request,
                work=work,
                form=form,
                chapter=_comment_chapter(request, work),
                error=SESSION_EXPIRED,
                status=403,
            )
        comment = access_comment(request.user, match.kwargs["comment_id"])
        if match.url_name == "comment-edit":
            return _comment_form_page(
                request,
                work=comment.work,
                form=form,
                editing=comment,
                error=SESSION_EXPIRED,
                status=403,
            )
        return _comment_form_page(
            request,
            work=comment.work,
            form=form,
            parent=comment,
            chapter=Chapter.objects.filter(pk=comment.chapter_id).first(),
            error=SESSION_EXPIRED,
            status=403,
        )
    except (Http404, RestrictedWork):
        return django_csrf_failure(request, reason)


def _kudos_confirm_page(request: HttpRequest, work_id: int, reason: str) -> HttpResponse:
    """A guest's cached page carries no CSRF token and, without a script, cannot fetch one:
    their kudos click lands here, a page with a token and the same button, one click more."""
    try:
        work = access_work(request.user, work_id)
    except (Http404, RestrictedWork):
        return django_csrf_failure(request, reason)
    return render(request, "social/kudos_confirm.html", {"work": work}, status=403)


# The inbox


def _inbox_filters(request: HttpRequest) -> tuple[bool | None, bool]:
    """AO3's inbox filters: filters[read] (true, false or all) and filters[date] (asc,
    desc)."""
    read = {"true": True, "false": False}.get(request.GET.get("filters[read]", ""))
    return read, request.GET.get("filters[date]") == "asc"


@login_required
def user_inbox(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_history(request, login)
    read, oldest_first = _inbox_filters(request)
    page = inbox_page(
        owner, read=read, oldest_first=oldest_first, page_number=request.GET.get("page")
    )
    return render(
        request,
        "social/inbox_show.html",
        {
            "owner": owner,
            "page": page,
            "read_filter": request.GET.get("filters[read]", "all"),
            "date_filter": "asc" if oldest_first else "desc",
            "read_choices": [("all", "All"), ("false", "Unread"), ("true", "Read")],
            "reply_form": CommentForm(user=request.user),
        },
    )


@login_required
@require_POST
def inbox_update(request: HttpRequest, login: str) -> HttpResponse:
    """Mark the chosen items read or unread, or delete them (AO3's buttons, by name)."""
    owner = _own_history(request, login)
    ids = [int(value) for value in request.POST.getlist("inbox_comments[]") if value.isdigit()]
    # Subscription updates (SubscriptionNotice) sit in the same list with their own boxes.
    updates = [int(value) for value in request.POST.getlist("inbox_updates[]") if value.isdigit()]
    back = _return_to(request) or reverse("social:user-inbox", args=[owner.username])
    if not ids and not updates:
        messages.error(request, "Please select something first.")
    elif "delete" in request.POST:
        do_delete_inbox(owner, ids)
        do_delete_notices(owner, updates)
        messages.success(request, "Inbox successfully updated.")
    else:
        read = "unread" not in request.POST
        do_mark_inbox(owner, ids, read=read)
        do_mark_notices_read(owner, updates, read=read)
        messages.success(request, "Inbox successfully updated.")
    return redirect(back)


# Subscriptions


def _own_subscriptions(request: HttpRequest, login: str):
    """The viewer's own account; anyone else's subscriptions do not exist for them."""
    owner = access_user(login)
    if owner.pk != request.user.pk:
        raise Http404("No such page.")
    return owner


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the button was on (a same-site path only), else `fallback`."""
    target = request.POST.get("return_to", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _subscription_target(request: HttpRequest):
    """(work, series, user, name, page) of the Subscribe form's target, fetched through its
    access_* function (404 for what the viewer may not see), or Http404 for nonsense."""
    kind = request.POST.get("subscription[subscribable_type]", "")
    try:
        target_id = int(request.POST.get("subscription[subscribable_id]", ""))
    except ValueError:
        raise Http404("No such thing to subscribe to.") from None
    if kind == Subscription.WORK:
        work = access_work(request.user, target_id)
        if not work.posted:
            raise Http404("No such work.")
        return work, None, None, work.title, reverse("works:work-show", args=[work.pk])
    if kind == Subscription.SERIES:
        series = access_series(request.user, target_id)
        return None, series, None, series.title, reverse("works:series-show", args=[series.pk])
    if kind == Subscription.USER:
        target = access_subscribable_user(target_id)
        return (
            None,
            None,
            target,
            target.username,
            reverse("accounts:dashboard", args=[target.username]),
        )
    raise Http404("No such thing to subscribe to.")


def _subscribe(request: HttpRequest, owner) -> HttpResponse:
    """POST /users/:login/subscriptions (AO3's form: subscription[subscribable_type] and
    subscription[subscribable_id]), from a Subscribe button; back to the page it was on."""
    work, series, target, name, page = _subscription_target(request)
    if work is not None and is_creator(owner, work):
        messages.error(request, "You can't subscribe to your own work.")
        return _back(request, page)
    try:
        _, created = do_subscribe(owner, work=work, series=series, to_user=target)
    except SubscriptionError as refused:
        messages.error(request, str(refused))
        return _back(request, page)
    if created:
        messages.success(
            request,
            f"You are now following {name}. If you'd like to stop receiving updates, you can "
            "return to this page and click 'Unsubscribe'.",
        )
    else:
        messages.info(request, f"You are already following {name}.")
    return _back(request, page)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, login: str, subscription_id: int) -> HttpResponse:
    owner = _own_subscriptions(request, login)
    subscription = access_subscription(request.user, subscription_id)
    do_unsubscribe(subscription)
    messages.success(request, "You have successfully unsubscribed.")
    return _back(request, reverse("social:user-subscriptions", args=[owner.username]))


def _subscription_kind(request: HttpRequest) -> tuple[str, str | None]:
    """AO3's ?type= (works, series, users) and the kind it lists; anything else is All."""
    wanted = request.GET.get("type") or request.POST.get("type") or ""
    kind = SUBSCRIPTION_TYPES.get(wanted)
    return (wanted if kind else ""), kind


@login_required
@require_http_methods(["GET", "POST"])
def user_subscriptions(request: HttpRequest, login: str) -> HttpResponse:
    owner = _own_subscriptions(request, login)
    if request.method == "POST":
        return _subscribe(request, owner)
    type_, kind = _subscription_kind(request)
    page = subscription_page(owner, subscriptions_of(owner, kind), request.GET.get("page"))
    return render(
        request,
        "social/subscription_index.html",
        {"owner": owner, "page": page, "type": type_, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions_delete_all(request: HttpRequest, login: str) -> HttpResponse:
    """AO3's "Delete All Subscriptions": a confirmation page, then a POST (of one type, or
    all)."""
    owner = _own_subscriptions(request, login)
    type_, kind = _subscription_kind(request)
    if request.method == "POST":
        deleted = do_unsubscribe_all(owner, kind=kind)
        messages.success(
            request, f"You have successfully unsubscribed from {deleted:,} subscriptions."
        )
        return redirect("social:user-subscriptions", login=owner.username)
    count = subscriptions_of(owner, kind).count()
    return render(
        request,
        "social/subscription_confirm_delete_all.html",
        {"owner": owner, "type": type_, "count": count},
    )
