"""Who may block or mute whom (AO3.md §7). Plain predicates, no query."""

from .models import BLOCKS_MAX, MUTES_MAX

# The two relations share every rule but their words; `kind` is "block" or "mute".
LIMITS = {"block": BLOCKS_MAX, "mute": MUTES_MAX}
PAST = {"block": "blocked", "mute": "muted"}


def relation_refusal(kind: str, user, target) -> str | None:
    """Why `user` may not block (or mute) `target`, else None. Whether they already did, and
    the 2,000 limit, are the action's to say (they need the rows)."""
    if target.pk == user.pk:
        return f"You can't {kind} yourself."
    if target.is_admin:
        # AO3: official accounts can be neither blocked nor muted, so notices always reach.
        return f"Sorry, you can't {kind} an official Archive account."
    return None


def limit_message(kind: str) -> str:
    return (
        f"Sorry, you have {PAST[kind]} too many accounts: you can {kind} up to "
        f"{LIMITS[kind]:,} users. Remove someone from your list first."
    )


def sees_hidden_content(user) -> bool:
    """Staff read what staff hid (and what spammers made), with a notice; nobody else but the
    item's own maker does. No query."""
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))
