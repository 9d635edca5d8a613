"""Who may manage invitations: staff whose role grants it (the "add invitation" permission,
which superusers have and a staff role can be given), signed in with two-factor."""

from functools import wraps

from django.http import Http404

from quire.accounts.permissions import staff_mfa_required


def can_manage_invitations(user) -> bool:
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm("invitations.add_invitation")
    )


def invitations_staff_required(view):
    """Staff pages of invitations: two-factor sign-in first, then the permission; anyone else
    sees a missing page, as for any page they may not know of."""

    @staff_mfa_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_invitations(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped
