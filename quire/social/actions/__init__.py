"""Writes of the social app, one module per subject. One transaction each, no visibility checks
(the views fetch the work through works.queries.access_work first). Other apps import from
here."""

from quire.social.visitors import hash_ip

from .bookmarks import (
    BookmarkExists,
    BookmarkInput,
    do_create_bookmark,
    do_create_series_bookmark,
    do_delete_bookmark,
    do_update_bookmark,
)
from .comments import (
    EDIT_AFTER_REPLY,
    EDIT_FROZEN,
    SIGNIFICANT_EDIT,
    CommentError,
    CommentInput,
    CommentRateLimited,
    check_post_comment,
    do_approve_comment,
    do_create_comment,
    do_delete_comment,
    do_freeze_thread,
    do_update_comment,
)
from .hiding import do_recount_for_spammer, do_set_bookmark_hidden, do_set_comment_hidden
from .hits import FLUSH_BATCH, do_flush_hits, do_record_hit, flush_hits, forget_recent_hits
from .inbox import do_delete_inbox, do_delete_notices, do_mark_inbox, do_mark_notices_read
from .kudos import KudosError, do_leave_kudos
from .readings import do_clear_readings, do_delete_reading, do_mark_for_later, do_record_reading
from .subscriptions import (
    SubscriptionError,
    do_record_new_chapter,
    do_record_new_work,
    do_record_series_addition,
    do_subscribe,
    do_unsubscribe,
    do_unsubscribe_all,
    schedule_notifications,
)

__all__ = [
    "EDIT_AFTER_REPLY",
    "EDIT_FROZEN",
    "FLUSH_BATCH",
    "SIGNIFICANT_EDIT",
    "BookmarkExists",
    "BookmarkInput",
    "CommentError",
    "CommentInput",
    "CommentRateLimited",
    "KudosError",
    "SubscriptionError",
    "check_post_comment",
    "do_approve_comment",
    "do_clear_readings",
    "do_create_bookmark",
    "do_create_comment",
    "do_create_series_bookmark",
    "do_delete_bookmark",
    "do_delete_comment",
    "do_delete_inbox",
    "do_delete_notices",
    "do_delete_reading",
    "do_flush_hits",
    "do_freeze_thread",
    "do_leave_kudos",
    "do_mark_for_later",
    "do_mark_inbox",
    "do_mark_notices_read",
    "do_record_hit",
    "do_record_new_chapter",
    "do_record_new_work",
    "do_record_reading",
    "do_record_series_addition",
    "do_recount_for_spammer",
    "do_set_bookmark_hidden",
    "do_set_comment_hidden",
    "do_subscribe",
    "do_unsubscribe",
    "do_unsubscribe_all",
    "do_update_bookmark",
    "do_update_comment",
    "flush_hits",
    "forget_recent_hits",
    "hash_ip",
    "schedule_notifications",
]
