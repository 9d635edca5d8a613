"""Writes of the inbox: marking comments and subscription updates read, or deleting them."""

from ..models import InboxComment, SubscriptionNotice


def do_mark_inbox(user, item_ids, *, read: bool) -> int:
    """Mark these of the user's inbox items read (or unread); others' ids are ignored."""
    return InboxComment.objects.filter(user=user, pk__in=list(item_ids)).update(read=read)


def do_delete_inbox(user, item_ids) -> int:
    """Delete these of the user's inbox items (the comments stay)."""
    deleted, _ = InboxComment.objects.filter(user=user, pk__in=list(item_ids)).delete()
    return deleted


def do_mark_notices_read(user, notice_ids=None, *, read: bool = True) -> int:
    """Mark `user`'s delivered notices (these ids, or all) read or unread; returns how many."""
    notices = SubscriptionNotice.objects.filter(user=user, delivered_at__isnull=False)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.exclude(read=read).update(read=read)


def do_delete_notices(user, notice_ids) -> int:
    """Delete some of `user`'s notices from their inbox; returns how many went."""
    deleted, _ = SubscriptionNotice.objects.filter(user=user, pk__in=list(notice_ids)).delete()
    return deleted
