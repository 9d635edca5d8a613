"""Plain predicates about who may change the tag taxonomy."""


def can_wrangle(user) -> bool:
    """Tag wranglers and admins wrangle; to everyone else the wrangling pages do not exist."""
    return bool(user.is_authenticated and (user.is_wrangler or user.is_staff or user.is_superuser))
