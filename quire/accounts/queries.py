import datetime
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Block, Mute, PastUsername, Preference, Pseud, User
from .permissions import sees_hidden_content


def access_user(login: str) -> User:
    """The active account with this login (case-insensitive), or 404."""
    # With its preferences (one join): its pages ask them (robots_tags, the time zone...).
    user = (
        User.objects.filter(username__iexact=login, is_active=True)
        .select_related("preference")
        .first()
    )
    if user is None:
        raise Http404("No such user.")
    return user


def user_pseuds(user: User, viewer=None):
    """`user`'s pseuds, default first; those staff hid (or all a spammer's) are left out
    unless `viewer` is `user` or staff."""
    pseuds = Pseud.objects.filter(user=user).order_by("-is_default", "name")
    return without_hidden(viewer, pseuds, owner="user")


# Block and mute. Other apps (comments, kudos, listings) ask these; they never read the tables.


def blocked_by_any(user, owner_ids) -> bool:
    """Whether any of `owner_ids` (a work's creators, a comment's author) has blocked `user`.
    Guests are never blocked: blocking is of accounts."""
    if user is None or not user.is_authenticated or not owner_ids:
        return False
    return Block.objects.filter(blocker_id__in=list(owner_ids), blocked=user).exists()


def muted_user_ids(user) -> frozenset[int]:
    """The users whose works, bookmarks and comments `user` has hidden from themself."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(muted_users(user).values_list("muted_id", flat=True))


def muted_users(user) -> QuerySet[Mute]:
    """`user`'s mutes, unordered: for a subquery or a UNION (search.queries.blocklist_of)."""
    return Mute.objects.filter(muter=user).order_by()


def without_muted(viewer, items: QuerySet, *, by: tuple[str, ...], anonymous: str = "") -> QuerySet:
    """`items` (works, bookmarks, comments) less those made by users `viewer` muted: the one
    mute filter of every listing. `by` names the paths from an item to its makers ("user",
    "owner", "creatorships__pseud__user"); an item whose `anonymous` field is true is never
    left out for its maker, which would tell who made it. A subquery per path: the same
    statement with 0 mutes or 2,000, and nothing at all for guests."""
    if viewer is None or not viewer.is_authenticated:
        return items
    muted = muted_users(viewer).values("muted_id")
    for path in by:
        made_by_muted = Q(**{f"{path}__in": muted})
        if anonymous:
            made_by_muted &= Q(**{anonymous: False})
        items = items.exclude(made_by_muted)
    return items


def without_hidden(viewer, items: QuerySet, *, owner: str, flag: str = "hidden_by_admin"):
    """`items` (comments, bookmarks, pseuds) less those staff hid (`flag`) and those made by
    a user marked as a spammer, except the viewer's own (`owner` is the path from an item to
    its maker: "user", "owner"); staff keep them all. The one hiding filter of those
    listings: nothing for staff, two conditions on the row and its maker's for the rest."""
    if sees_hidden_content(viewer):
        return items
    shown = Q(**{flag: False}) & ~Q(**{f"{owner}__spammer": True})
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(**{owner: viewer.pk})
    return items.filter(shown)


def access_pseud(viewer, owner: User, name: str) -> Pseud:
    """`owner`'s pseud of this name (case-insensitive) for its page: a pseud staff hid, or a
    spammer's, is its user's and staff's alone. Missing and hidden both raise Http404."""
    pseuds = without_hidden(viewer, Pseud.objects.filter(user=owner), owner="user")
    pseud = pseuds.filter(name__iexact=name).select_related("user").first()
    if pseud is None:
        raise Http404("No such pseud.")
    return pseud


RELATIONS_PER_PAGE = 20


def relation_page(kind: str, owner, page_number) -> Page:
    """One page of the users `owner` has blocked (kind "block") or muted ("mute"), newest
    first, each row with its user: two queries whatever the page."""
    rows: QuerySet[Block] | QuerySet[Mute]
    if kind == "block":
        rows = Block.objects.filter(blocker=owner).select_related("blocked")
    else:
        rows = Mute.objects.filter(muter=owner).select_related("muted")
    rows = rows.order_by("-created_at", "-id")
    return Paginator(rows, RELATIONS_PER_PAGE, allow_empty_first_page=True).get_page(page_number)


def relations_between(viewer, owner) -> tuple[bool, bool]:
    """(viewer has blocked owner, viewer has muted owner), for the buttons on owner's page."""
    if not viewer.is_authenticated or viewer.pk == owner.pk:
        return False, False
    return (
        Block.objects.filter(blocker=viewer, blocked=owner).exists(),
        Mute.objects.filter(muter=viewer, muted=owner).exists(),
    )


def find_user(login: str) -> User | None:
    """The active account with this login (case-insensitive), or None."""
    return User.objects.filter(username__iexact=login.strip(), is_active=True).first()


def login_account(login: str) -> User | None:
    """The account a login form's text names: its username or its e-mail, in any case."""
    login = login.strip()
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username__iexact"
    return User.objects.filter(**{field: login}).order_by("pk").first()


# Preferences


def preference_of(user) -> Preference:
    """The reader's preferences: their row, or an unsaved one holding the defaults (guests,
    and accounts that never saved the form). No query when the account was fetched by
    accounts.backends (the row joined), or after the first ask."""
    if user is None or not user.is_authenticated:
        return Preference()
    try:
        return user.preference
    except Preference.DoesNotExist:
        # Remembered on the user, so a second ask in this request reads nothing either.
        default = Preference(user=user)
        user.preference = default
        return default


def refuses_guest_replies(user_id: int) -> bool:
    """Whether this account's preferences refuse guests' replies to its comments."""
    return Preference.objects.filter(user_id=user_id, guest_replies_off=True).exists()


# Logins: changing one (accounts/actions/usernames.py) and the names given up.

USERNAME_CHANGE_INTERVAL = datetime.timedelta(days=7)
# Names no one may sign up with or change to: the shared account orphaned works go to.
RESERVED_USERNAMES = frozenset({"orphan_account"})


def username_refusal(name: str, *, user: User | None = None) -> str | None:
    """Why `name` can't become a login (for `user`, renaming; None for a new account), beyond
    the validators' rules on its characters; None when it can."""
    if name.lower() in RESERVED_USERNAMES:
        return "That username is reserved."
    taken = User.objects.filter(username__iexact=name)
    past = PastUsername.objects.filter(username__iexact=name)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
        past = past.exclude(user=user)
    if taken.exists() or past.exists():
        return "That username is already taken."
    return None


def next_username_change(user: User) -> datetime.datetime | None:
    """When `user` may change their login again, if not now."""
    last = user.past_usernames.order_by("-changed_at").values_list("changed_at", flat=True).first()
    if last is None or last + USERNAME_CHANGE_INTERVAL <= timezone.now():
        return None
    return last + USERNAME_CHANGE_INTERVAL


def past_username_owner(name: str) -> User | None:
    """The active account that used to be called `name`, for the redirect."""
    row = (
        PastUsername.objects.filter(username__iexact=name, user__is_active=True)
        .select_related("user")
        .order_by("-changed_at", "-pk")
        .first()
    )
    return row.user if row is not None else None


# Deleting an account and orphaning: the owner's works and series, split into those they
# alone created and those they share with other accounts.


class OwnedItems(NamedTuple):
    sole_works: list
    shared_works: list
    sole_series: list
    shared_series: list


def owned_items(user: User) -> OwnedItems:
    """Every work (drafts and hidden ones too: nothing may be left without a creator) and
    series `user` is credited on, split by whether another account is credited too."""
    # Here, not at the top: works.queries reads this module.
    from quire.works.models import Creatorship, Series
    from quire.works.queries import own_series, own_works

    works = own_works(user).annotate(
        shared=Exists(Creatorship.objects.filter(work=OuterRef("pk")).exclude(pseud__user=user))
    )
    through = Series.pseuds.through
    series = own_series(user).annotate(
        shared=Exists(through.objects.filter(series=OuterRef("pk")).exclude(pseud__user=user))
    )
    works_list = list(works.order_by("title", "pk"))
    series_list = list(series)
    return OwnedItems(
        [w for w in works_list if not w.shared],
        [w for w in works_list if w.shared],
        [s for s in series_list if not s.shared],
        [s for s in series_list if s.shared],
    )
