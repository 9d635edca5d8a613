def can_download(work) -> bool:
    """Drafts, hidden works and works in unrevealed collections have no downloads, not even
    for their creators or admins (who may still read them on the site)."""
    return work.posted and not work.hidden_by_admin and not work.in_unrevealed_collection
