"""Who may leave kudos and comments where (AO3.md §7). Plain predicates; no query when the work's
creators are prefetched (works.queries.with_creators), but one for a logged-in reader, to ask
whether a creator blocked them."""

from quire.accounts.queries import blocked_by_any, refuses_guest_replies
from quire.works.models import CommentPermission, Work
from quire.works.permissions import creator_user_ids, is_creator

ALREADY_LEFT = "You have already left kudos here. :)"
OWN_WORK = "You can't leave kudos on your own work."
GUEST_ON_RESTRICTED = "You can't leave guest kudos on a restricted work."
DRAFT = "You can't leave kudos on a draft."
BLOCKED = "Sorry, you have been blocked by one or more of this work's creators."


def kudos_refusal(user, work: Work) -> str | None:
    """Why `user` (None or anonymous for a guest) may not leave kudos on `work`, else None.
    Whether they already did is the database's to say (Kudo's unique constraints)."""
    if not work.posted:
        return DRAFT
    if user is None or not user.is_authenticated:
        return GUEST_ON_RESTRICTED if work.restricted else None
    if is_creator(user, work):
        return OWN_WORK
    # On anonymous works too: the blocker's protection outweighs the hint it gives the
    # blocked reader (who learns only that some creator of this work blocked them).
    if blocked_by_creators(user, work):
        return BLOCKED
    return None


def blocked_by_creators(user, work: Work) -> bool:
    """Whether a creator of `work` blocked `user`: asked once per work object, since the kudos
    button and the comment form of one page both want to know."""
    memo = work.__dict__.setdefault("_blocked_by_creators", {})
    if user.pk not in memo:
        memo[user.pk] = blocked_by_any(user, creator_user_ids(work))
    return memo[user.pk]


def can_leave_kudos(user, work: Work) -> bool:
    return kudos_refusal(user, work) is None


def counts_hit(user, work: Work) -> bool:
    """Drafts and creators' own views of their work are not hits."""
    return work.posted and not is_creator(user, work)


# Comments (AO3.md §7: per-work permission, moderation, block)

COMMENTS_OFF = "Sorry, this work doesn't allow comments."
REGISTERED_ONLY = "Sorry, this work only allows comments from registered users."
COMMENT_ON_DRAFT = "You can't comment on a draft."
BLOCKED_BY_CREATOR = BLOCKED
BLOCKED_BY_COMMENTER = "Sorry, you have been blocked by that user."
THREAD_FROZEN = "Sorry, this comment thread is frozen; no more replies can be posted."
NO_REPLY_HERE = "Sorry, you can't reply to that comment."
NO_GUEST_REPLIES = "Sorry, this user doesn't allow non-Archive users to reply to their comments."


def comment_refusal(user, work: Work, parent=None) -> str | None:
    """Why `user` (anonymous for a guest) may not comment on `work`, or reply to `parent`,
    else None. Blocks are asked of accounts.queries (one query, for logged-in readers only);
    the rate limit is social.queries.comment_rate_refusal's to say."""
    if not work.posted:
        return COMMENT_ON_DRAFT
    if work.comment_permission == CommentPermission.NO_ONE:
        return COMMENTS_OFF
    if parent is not None:
        if parent.deleted or not parent.approved:
            return NO_REPLY_HERE
        if parent.frozen:
            return THREAD_FROZEN
    if not user.is_authenticated:
        if work.comment_permission == CommentPermission.REGISTERED:
            return REGISTERED_ONLY
        # "Do not allow guests to reply to my comments on other users' works" (on their own
        # works, the work's comment setting decides).
        if (
            parent is not None
            and parent.user_id
            and parent.user_id not in creator_user_ids(work)
            and refuses_guest_replies(parent.user_id)
        ):
            return NO_GUEST_REPLIES
        return None
    if is_creator(user, work):
        return None
    creators = creator_user_ids(work)
    replying_to = parent.user_id if parent is not None else None
    if (
        replying_to
        and replying_to not in creators
        and replying_to != user.pk
        and blocked_by_any(user, [replying_to])
    ):
        return BLOCKED_BY_COMMENTER
    if blocked_by_creators(user, work):
        return BLOCKED_BY_CREATOR
    return None


def comment_needs_review(user, work: Work) -> bool:
    """On a moderated work, every comment but its creators' own waits for their approval."""
    return work.moderated_comments and not is_creator(user, work)


def can_delete_comment(user, comment, work: Work) -> bool:
    """The comment's author, or any creator of the work."""
    if not user.is_authenticated:
        return False
    return (comment.user_id == user.pk and not comment.deleted) or is_creator(user, work)


def can_moderate_comments(user, work: Work) -> bool:
    """Approving, freezing and unfreezing are the work's creators'."""
    return is_creator(user, work)


def can_edit_comment(user, comment) -> bool:
    """Only a logged-in author edits, and only until someone has replied (`has_replies` is
    set by the query that read the comment) or the thread is frozen."""
    return bool(
        user.is_authenticated
        and comment.user_id == user.pk
        and not comment.deleted
        and not comment.frozen
        and not getattr(comment, "has_replies", True)
    )
