"""Who left kudos on a work."""

from dataclasses import dataclass, field

from quire.works.models import Work

from ..models import Kudo

# The kudos list names this many users, newest first; the rest are counted.
KUDOS_NAMES_SHOWN = 50


@dataclass
class KudosSummary:
    names: list[str] = field(default_factory=list)
    more_users: int = 0
    guests: int = 0

    @property
    def total(self) -> int:
        return len(self.names) + self.more_users + self.guests


def kudos_summary(work: Work) -> KudosSummary:
    """Who left kudos on `work`: users' logins, newest first, and how many guests. No query
    for a work without kudos (its stats row, loaded by access_work, says so)."""
    total = work.stats.kudos_count
    if not total:
        return KudosSummary()
    names = list(
        Kudo.objects.filter(work=work, user__isnull=False)
        .order_by("-id")
        .values_list("user__username", flat=True)[:KUDOS_NAMES_SHOWN]
    )
    users = len(names)
    if users == KUDOS_NAMES_SHOWN:
        users = Kudo.objects.filter(work=work, user__isnull=False).count()
    return KudosSummary(names=names, more_users=users - len(names), guests=max(total - users, 0))
