"""Plain predicates about who may change the tag taxonomy."""


def can_wrangle(user) -> bool:
    """Tag wranglers (the volunteers' flag), superusers, and staff holding the Tag Wrangling
    role's permission wrangle; to everyone else the wrangling pages do not exist. Readers
    never reach has_perm (its permission queries): only staff without the flag do."""
    if not user.is_authenticated:
        return False
    if user.is_wrangler or user.is_superuser:
        return True
    return bool(user.is_staff and user.has_perm("tags.wrangle_tags"))
