"""Who may leave kudos where (AO3.md §7). Plain predicates; no query when the work's
creators are prefetched (works.queries.with_creators), but one for a logged-in reader, to ask
whether a creator blocked them."""

from quire.accounts.queries import blocked_by_any
from quire.works.models import Work
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
    if blocked_by_any(user, creator_user_ids(work)):
        return BLOCKED
    return None


def can_leave_kudos(user, work: Work) -> bool:
    return kudos_refusal(user, work) is None


def counts_hit(user, work: Work) -> bool:
    """Drafts and creators' own views of their work are not hits."""
    return work.posted and not is_creator(user, work)
