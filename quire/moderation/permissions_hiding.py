"""Whether to show the hide and spammer controls on a page: staff holding the permission.
The endpoints themselves are guarded by permissions.staff_required (which also asks for the
second factor)."""


def has_staff_perm(user, perm: str) -> bool:
    """A staff account holding `moderation.<perm>` (superusers hold every permission)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm(f"moderation.{perm}")
    )
