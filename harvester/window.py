"""Where the next incremental harvest starts: on the partner's clock, never on ours.

``from`` selects by the partner's datestamps, so it must be a moment of the partner's
clock.  The newest datestamp a run received is one for certain; the responseDate of
Identify at the start of the run is one too, when the partner's clock agrees with its
datestamps, and it also covers a record changed while the run was paging past it.  The
earlier of the two is kept (a responseDate running ahead of the datestamps would skip
every change made before the partner's clock caught up), and the next run starts one
granularity unit before it: records seen twice are unchanged and cost nothing.  A run
that received nothing leaves the window where it was.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from protocol import dates

#: How far the partner's responseDate may stand from our clock before the run says so.
SKEW = timedelta(minutes=10)


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return dates.parse_lenient(text)
    except ValueError:
        return None


def newest(current: str | None, datestamp: datetime | None) -> str | None:
    """The newest of the run's datestamps so far, given one more."""
    if datestamp is None:
        return current
    before = _moment(current)
    if before is not None and before >= datestamp:
        return current
    return datestamp.isoformat()


def harvested_until(
    previous: datetime | None, response_date: str | None, newest_received: str | None
) -> datetime | None:
    """The moment of the partner's clock the next run's window starts from (before the
    one-unit overlap)."""
    received = _moment(newest_received)
    if received is None:
        return previous
    said = _moment(response_date)
    return received if said is None else min(received, said)


def skew(response_date: str | None, now: datetime) -> str | None:
    """A warning when the partner's clock and ours disagree by more than ``SKEW``."""
    said = _moment(response_date)
    if said is None or abs(said - now) <= SKEW:
        return None
    ahead = said > now
    hours = abs(said - now).total_seconds() / 3600
    size = f"{hours:.1f} h" if hours >= 1 else f"{abs(said - now).total_seconds() / 60:.0f} min"
    return (
        f"the partner's clock (responseDate {response_date}) is {size} "
        f"{'ahead of' if ahead else 'behind'} Navette's; the next harvest starts from the "
        "newest datestamp received, not from that clock"
    )
