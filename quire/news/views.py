"""News pages: the index (filtered by tag), a post with its comments, the Atom feed, the
staff's new/edit/delete pages, and commenting (post, reply, a thread's page, delete)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from quire.lib.http import safe_return_to
from quire.lib.site import site_url
from quire.pages.queries import site_settings
from quire.social.queries.comments import THREAD_DEPTH
from quire.social.views.comments import SESSION_EXPIRED, SESSION_EXPIRED_ELSEWHERE
from quire.social.visitors import client_ip

from .actions import (
    NewsCommentError,
    check_post_news_comment,
    do_create_news_post,
    do_delete_news_comment,
    do_delete_news_post,
    do_update_news_post,
)
from .forms import NewsCommentForm, NewsPostForm
from .models import NewsComment, NewsPost
from .permissions import (
    ADD,
    CHANGE,
    DELETE,
    can_delete_news_comment,
    is_news_staff,
    news_comment_refusal,
    news_staff_required,
)
from .queries import (
    access_news_comment,
    access_post,
    comment_page_of,
    comment_section,
    comment_thread,
    feed_posts,
    find_tag,
    post_page,
    tags_in_use,
)

FEED_TITLE = "News"


def post_index(request: HttpRequest) -> HttpResponse:
    """/admin_posts: newest first; ?tag=<id or name> keeps one tag's posts (an unknown tag,
    none)."""
    asked = request.GET.get("tag", "")
    tag = find_tag(asked)
    page = post_page(request.user, tag=tag, page=request.GET.get("page"))
    if asked.strip() and tag is None:
        page.object_list = []
    return render(
        request,
        "news/post_index.html",
        {
            "page": page,
            "tag": tag,
            "asked_tag": asked.strip(),
            "tags": tags_in_use(request.user),
            "can_write": is_news_staff(request.user, ADD),
            "can_edit": is_news_staff(request.user, CHANGE),
        },
    )


def _refusal(request: HttpRequest, post: NewsPost, parent: NewsComment | None = None):
    guests = site_settings().guest_comments if not request.user.is_authenticated else True
    return news_comment_refusal(request.user, post, parent, guest_comments=guests)


def post_show(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    return render(
        request,
        "news/post_show.html",
        {
            "post": post,
            "comments": comment_section(request.user, post, request.GET.get("page")),
            "comment_form": NewsCommentForm(user=request.user),
            "comment_refusal": _refusal(request, post),
            "can_edit": is_news_staff(request.user, CHANGE),
            "can_delete": is_news_staff(request.user, DELETE),
            "can_moderate": is_news_staff(request.user, CHANGE),
        },
    )


def post_feed(request: HttpRequest) -> HttpResponse:
    """/admin_posts/feed.atom: the newest published posts, with absolute links."""
    base = site_url(request)
    feed = Atom1Feed(
        title=FEED_TITLE,
        link=f"{base}{reverse('news:post-index')}",
        description="News from the archive's staff.",
        feed_url=f"{base}{reverse('news:post-feed')}",
        language="en",
    )
    for post in feed_posts():
        link = f"{base}{reverse('news:post-show', args=[post.pk])}"
        feed.add_item(
            title=post.title,
            link=link,
            unique_id=link,
            description=post.body,
            pubdate=post.published_at,
            updateddate=max(post.updated_at, post.published_at or post.updated_at),
            categories=[tag.name for tag in post.tags.all()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@news_staff_required(ADD)
def post_new(request: HttpRequest) -> HttpResponse:
    form = NewsPostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        post = do_create_news_post(form.post_input(), by=request.user)
        messages.success(
            request, "News post published." if post.published else "Draft saved: staff only."
        )
        return redirect("news:post-show", post_id=post.pk)
    return render(request, "news/post_form.html", {"form": form, "post": None})


@news_staff_required(CHANGE)
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    form = NewsPostForm(request.POST if request.method == "POST" else None, post=post)
    if request.method == "POST" and form.is_valid():
        do_update_news_post(post, form.post_input(), by=request.user)
        messages.success(request, "News post updated.")
        return redirect("news:post-show", post_id=post.pk)
    return render(request, "news/post_form.html", {"form": form, "post": post})


@news_staff_required(DELETE)
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    """GET: a page asking to confirm (no script needed); POST: delete."""
    post = access_post(request.user, post_id)
    if request.method != "POST":
        return render(request, "news/post_confirm_delete.html", {"post": post})
    do_delete_news_post(post, by=request.user)
    messages.success(request, f"Deleted the news post “{post.title}”.")
    return redirect("news:post-index")


# Comments ----------------------------------------------------------------------------------


def comment_location(comment: NewsComment) -> str:
    """Where a comment is shown: its post's page holding its thread; a reply too deep to be
    shown there, its parent's thread page."""
    if comment.depth >= THREAD_DEPTH:
        path = reverse("news:comment-show", args=[comment.post_id, comment.parent_id])
        return f"{path}#comment_{comment.pk}"
    page = comment_page_of(comment)
    query = f"?{urlencode({'page': page})}" if page > 1 else ""
    return f"{reverse('news:post-show', args=[comment.post_id])}{query}#comment_{comment.pk}"


def _comment_form_page(
    request: HttpRequest,
    *,
    post: NewsPost,
    form: NewsCommentForm,
    parent: NewsComment | None = None,
    error: str | None = None,
    status: int = 200,
    show_form: bool = False,
) -> HttpResponse:
    if parent is not None:
        action = reverse("news:comment-reply", args=[post.pk, parent.pk])
    else:
        action = reverse("news:comment-create", args=[post.pk])
    return render(
        request,
        "news/comment_form.html",
        {
            "post": post,
            "parent": parent,
            "form": form,
            "action": action,
            "error": error,
            "show_form": show_form,
        },
        status=status,
    )


def _post_comment(request: HttpRequest, post: NewsPost, parent=None) -> HttpResponse:
    """Check and post a comment from request.POST; a rejected one comes back with its text
    and the reason, nothing written."""
    form = NewsCommentForm(request.POST, user=request.user)
    refusal = _refusal(request, post, parent)
    if refusal is None and form.is_valid():
        try:
            comment = check_post_news_comment(
                post,
                user=request.user,
                data=form.comment_input(),
                parent=parent,
                ip=client_ip(request),
            )
        except NewsCommentError as refused:
            refusal = str(refused)
        else:
            messages.success(request, "Comment created!")
            return redirect(safe_return_to(request) or comment_location(comment))
    return _comment_form_page(request, post=post, form=form, parent=parent, error=refusal)


def comment_create(request: HttpRequest, post_id: int) -> HttpResponse:
    """GET: the comment form on a page of its own; POST: a new top-level comment."""
    post = access_post(request.user, post_id)
    if request.method != "POST":
        form = NewsCommentForm(user=request.user)
        return _comment_form_page(request, post=post, form=form, error=_refusal(request, post))
    return _post_comment(request, post)


def comment_reply(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    parent = access_news_comment(request.user, post, comment_id)
    if request.method != "POST":
        form = NewsCommentForm(user=request.user)
        error = _refusal(request, post, parent)
        return _comment_form_page(request, post=post, form=form, parent=parent, error=error)
    return _post_comment(request, post, parent)


def comment_show(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """A thread's own page: the comment and its replies, THREAD_DEPTH levels deep."""
    post = access_post(request.user, post_id)
    comment = access_news_comment(request.user, post, comment_id)
    return render(
        request,
        "news/comment_show.html",
        {
            "post": post,
            "comment": comment,
            "threads": comment_thread(request.user, comment),
            "comment_refusal": _refusal(request, post),
            "can_moderate": is_news_staff(request.user, CHANGE),
        },
    )


def comment_delete(request: HttpRequest, post_id: int, comment_id: int) -> HttpResponse:
    """GET: a page asking to confirm; POST: delete. The author's, or news staff's."""
    post = access_post(request.user, post_id)
    comment = access_news_comment(request.user, post, comment_id)
    if not can_delete_news_comment(request.user, comment):
        raise Http404("No such comment.")
    if request.method != "POST":
        return render(
            request, "news/comment_confirm_delete.html", {"post": post, "comment": comment}
        )
    back = comment_location(comment).split("#")[0]
    do_delete_news_comment(comment, by=request.user)
    messages.success(request, "Comment deleted.")
    return redirect(back)


# After a failed CSRF check (quire.csrf): the form again with a fresh token, and the typed
# text only for a post from this site (never validated), as social's comment forms do.


def _after_csrf_failure(request: HttpRequest, *, same_origin: bool, post_id: int, parent_id=None):
    try:
        post = access_post(request.user, post_id)
        parent = access_news_comment(request.user, post, parent_id) if parent_id else None
    except Http404:
        return None
    typed = {}
    if same_origin:
        names = ("comment_content", "pseud_id", "name", "email")
        typed = {name: request.POST.get(f"comment[{name}]", "") for name in names}
    form = NewsCommentForm(user=request.user, initial=typed)
    error = SESSION_EXPIRED if same_origin else SESSION_EXPIRED_ELSEWHERE
    return _comment_form_page(
        request, post=post, form=form, parent=parent, error=error, status=403, show_form=True
    )


def comment_create_after_csrf_failure(
    request: HttpRequest, *, same_origin: bool, post_id: int
) -> HttpResponse | None:
    return _after_csrf_failure(request, same_origin=same_origin, post_id=post_id)


def comment_reply_after_csrf_failure(
    request: HttpRequest, *, same_origin: bool, post_id: int, comment_id: int
) -> HttpResponse | None:
    return _after_csrf_failure(
        request, same_origin=same_origin, post_id=post_id, parent_id=comment_id
    )
