"""Partners' datestamps, whatever their shape, as naive UTC datetimes; and back.

Repositories write fractions of a second, offsets, or days where they promised
seconds; the catalogue keeps UTC to the second.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

DAYS = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"

_STAMP = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<fraction>\.\d+)?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)


class BadDatestamp(ValueError):
    pass


def parse(text: str) -> datetime:
    """'2024-03-01T12:00:00.250+02:00' -> datetime(2024, 3, 1, 10, 0, 0) (UTC, whole seconds)."""
    match = _STAMP.match(text.strip())
    if not match:
        raise BadDatestamp(f"{text!r} is not a datestamp")
    try:
        moment = datetime.fromisoformat(match["date"])
        if match["time"]:
            clock = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
            moment = datetime.fromisoformat(f"{match['date']}T{clock}")
    except ValueError as error:
        raise BadDatestamp(f"{text!r} is not a real date") from error
    zone = match["zone"]
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        moment -= sign * timedelta(hours=hours, minutes=minutes)
    return moment


def format_for(moment: datetime, granularity: str) -> str:
    """A ``from`` argument in the partner's granularity."""
    if granularity == DAYS:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def step_back(moment: datetime, granularity: str) -> datetime:
    """One granularity unit earlier: the overlap that makes ``from`` safe at the boundary."""
    return moment - (timedelta(days=1) if granularity == DAYS else timedelta(seconds=1))
