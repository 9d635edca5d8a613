"""Time zones a reader may choose: the IANA names of places, and UTC."""

import functools
import zoneinfo

# Zone names outside these areas are old aliases ("US/Eastern", "Japan") or offsets whose
# signs read backwards ("Etc/GMT+2" is UTC-2); the place names cover every zone.
_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


@functools.cache
def zone_names() -> tuple[str, ...]:
    return ("UTC", *sorted(n for n in zoneinfo.available_timezones() if n.startswith(_AREAS)))


@functools.cache
def zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone called `name`, or None for a name this machine does not know."""
    if name not in zone_names():
        return None
    return zoneinfo.ZoneInfo(name)
