"""OAI-PMH datestamps (spec 3.3): the two granularities, strict and lenient reading, writing.

The catalogue keeps naive UTC datetimes to the second.  The provider reads its
arguments strictly (anything else is badArgument); the harvester reads partners'
datestamps leniently, because repositories write fractions of a second, offsets, or
days where they promised seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

#: The granularities as Identify names them.
DAYS = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"

# ASCII digits only: ``\d`` alone matches any script's, and strptime reads them too.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", re.ASCII)
_LENIENT = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<fraction>\.\d+)?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$",
    re.ASCII,
)


class BadDatestamp(ValueError):
    """Text that is not a datestamp, or names no real moment."""


def utc_now() -> datetime:
    """Now, as the catalogue keeps times: naive UTC, whole seconds."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def format_datestamp(moment: datetime, granularity: str = SECONDS) -> str:
    """'2026-11-24T06:09:59Z' (or '2026-11-24' in days): UTC, as OAI-PMH writes datestamps."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if granularity == DAYS:
        return moment.strftime("%Y-%m-%d")
    return moment.replace(microsecond=0).isoformat() + "Z"


def parse_datestamp(text: str) -> datetime:
    """The naive UTC datetime of a 'YYYY-MM-DDThh:mm:ssZ' string, as the catalogue wrote it.

    Read by ``fromisoformat`` once the shape is checked: ``strptime`` costs twenty
    times more, and every resumed page reads three of these."""
    if not _SECOND.match(text):
        raise ValueError(f"{text!r} is not a datestamp YYYY-MM-DDThh:mm:ssZ")
    return datetime.fromisoformat(text[:-1])


def parse_argument(value: str, end_of_day: bool = False) -> tuple[datetime, str]:
    """A from/until argument read to the letter: its moment and granularity (DAYS or SECONDS).

    A day stands for all of it, so as an upper bound (``end_of_day``) it means its last
    second.  Raises BadDatestamp for anything else, including impossible dates.
    """
    try:
        if _DAY.match(value):
            moment = datetime.strptime(value, "%Y-%m-%d")
            if end_of_day:
                moment += timedelta(days=1, seconds=-1)
            return moment, DAYS
        if _SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ"), SECONDS
    except (ValueError, OverflowError) as error:
        raise BadDatestamp(f"{value!r} is not a real date") from error
    raise BadDatestamp(f"{value!r} is not a UTC date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")


def parse_lenient(text: str) -> datetime:
    """'2024-03-01T12:00:00.250+02:00' -> datetime(2024, 3, 1, 10, 0, 0) (UTC, whole seconds)."""
    match = _LENIENT.match(text.strip())
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


def step_back(moment: datetime, granularity: str) -> datetime:
    """One granularity unit earlier: the overlap that makes ``from`` safe at the boundary."""
    return moment - (timedelta(days=1) if granularity == DAYS else timedelta(seconds=1))
