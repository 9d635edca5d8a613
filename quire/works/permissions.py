"""Plain predicates about who may do what to a work. They never query on their own when the
caller has prefetched `creatorships__pseud` (see queries.with_creators)."""

from .models import Work


def creator_user_ids(work: Work) -> set[int]:
    return {creatorship.pseud.user_id for creatorship in work.creatorships.all()}


def is_creator(user, work: Work) -> bool:
    return bool(user.is_authenticated and user.pk in creator_user_ids(work))


def can_edit_work(user, work: Work) -> bool:
    return is_creator(user, work)


def can_see_hidden_work(user) -> bool:
    """Admins review works an admin hid; they still never see other people's drafts."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def skips_adult_gate(user, work: Work) -> bool:
    """Creators never see the gate on their own works, nor users whose preference says so."""
    if not user.is_authenticated:
        return False
    if is_creator(user, work):
        return True
    preference = getattr(user, "preference", None)
    return bool(preference and preference.view_adult)


def can_edit_series(user, series) -> bool:
    """A series is its creators' (the pseuds it lists): they edit it and see it while its
    works are all drafts. Never queries when `pseuds__user` is prefetched."""
    return bool(
        user.is_authenticated and any(pseud.user_id == user.pk for pseud in series.pseuds.all())
    )
