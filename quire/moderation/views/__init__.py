"""Staff pages of moderation, one module per subject; urls.py imports from here."""

from .hiding import hide, unhide
from .spam import comment_list, spammer

__all__ = ["comment_list", "hide", "spammer", "unhide"]
