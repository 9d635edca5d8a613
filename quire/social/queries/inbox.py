"""Reads of the inbox: comments and subscription updates, in one order by arrival."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet, Value

from quire.works.queries import own_works, visible_works

from ..models import InboxComment, SubscriptionNotice
from .subscriptions import notice_rows, visible_notices

INBOX_PER_PAGE = 20


def inbox_items(owner) -> QuerySet[InboxComment]:
    """The owner's inbox: comments delivered to them on works they may still see, less
    those staff hid or by spammers (one on a chapter staff hid goes with it)."""
    works = visible_works(owner).values("pk").union(own_works(owner).values("pk"))
    return InboxComment.objects.filter(
        user=owner,
        comment__work__in=works,
        comment__hidden_by_admin=False,
        comment__chapter__hidden_by_admin=False,
    ).exclude(comment__user__spammer=True)


def inbox_unread_count(user) -> int:
    """How many unread items the user's inbox holds (the site header shows it): comments and
    subscription updates, counted in one query."""
    if not user.is_authenticated:
        return 0
    comments = inbox_items(user).filter(read=False).values_list("pk")
    updates = visible_notices(user).filter(read=False).order_by().values_list("pk")
    return comments.union(updates, all=True).count()


def inbox_page(owner, *, read: bool | None, oldest_first: bool, page_number) -> Page:
    """One page of the owner's inbox, newest first (or oldest), optionally only read or only
    unread items: comments (each with its comment, the comment's work and chapter, and the
    commenter) and subscription updates (each with `headline` and `url`, notice_rows), in
    one order by the time they arrived. A fixed number of queries however many items."""
    comments = inbox_items(owner)
    updates = visible_notices(owner).order_by()
    if read is not None:
        comments = comments.filter(read=read)
        updates = updates.filter(read=read)
    # One sorted, paged list of (kind, id, arrival) over both tables; rows are loaded after.
    keys = comments.annotate(item_kind=Value(InboxComment.KIND), at=F("created_at")).values_list(
        "item_kind", "pk", "at"
    )
    keys = keys.union(
        updates.annotate(
            item_kind=Value(SubscriptionNotice.KIND), at=F("delivered_at")
        ).values_list("item_kind", "pk", "at"),
        all=True,
    )
    order = ("at", "item_kind", "pk") if oldest_first else ("-at", "-item_kind", "-pk")
    page: Page[Any] = Paginator(
        keys.order_by(*order), INBOX_PER_PAGE, allow_empty_first_page=True
    ).get_page(page_number)
    wanted = [(kind, pk) for kind, pk, _ in page.object_list]
    loaded: dict[tuple[str, int], InboxComment | SubscriptionNotice] = {
        (InboxComment.KIND, item.pk): item
        for item in InboxComment.objects.filter(
            pk__in=[pk for kind, pk in wanted if kind == InboxComment.KIND]
        ).select_related("comment__pseud__user", "comment__work", "comment__chapter")
    }
    notice_ids = [pk for kind, pk in wanted if kind == SubscriptionNotice.KIND]
    for notice in notice_rows(owner, notice_ids):
        loaded[(SubscriptionNotice.KIND, notice.pk)] = notice
    page.object_list = [loaded[key] for key in wanted if key in loaded]
    return page
