"""Who harvests this endpoint: OAI requests rolled up per day, client, verb and outcome.

One row per (day, address, user agent, verb, outcome) whatever the number of requests,
so a night of a million requests from one aggregator is a handful of rows.  Bounded
against a client that changes its User-Agent on every request: past ``MAX_CLIENTS`` a
day, new clients are counted together as ``OTHER``; and rows older than the kept days
are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import ClientDay

#: Distinct clients (address and agent) kept apart on one day.
MAX_CLIENTS = 1000
#: The client that stands for all those past ``MAX_CLIENTS``.
OTHER = "(other clients)"


@dataclass(frozen=True)
class Key:
    day: date
    address: str
    agent: str
    verb: str
    outcome: str


@dataclass
class Tally:
    requests: int = 0
    records: int = 0


def add(sessions: sessionmaker[Session], counts: dict[Key, Tally], keep_days: int) -> None:
    """Add ``counts`` to the stored ones, in one transaction."""
    if not counts:
        return
    with sessions.begin() as session:
        counts = _bounded(session, counts)
        dialect = session.bind.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        rows = [
            {**key.__dict__, "requests": tally.requests, "records": tally.records}
            for key, tally in counts.items()
        ]
        statement = insert(ClientDay)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "address", "agent", "verb", "outcome"],
                set_={
                    "requests": ClientDay.requests + statement.excluded.requests,
                    "records": ClientDay.records + statement.excluded.records,
                },
            ),
            rows,
        )
        oldest = max(key.day for key in counts) - timedelta(days=keep_days)
        session.execute(delete(ClientDay).where(ClientDay.day < oldest))


def _bounded(session: Session, counts: dict[Key, Tally]) -> dict[Key, Tally]:
    """``counts`` with the clients past the day's ``MAX_CLIENTS`` folded into ``OTHER``."""
    bounded: dict[Key, Tally] = {}
    for day in {key.day for key in counts}:
        known = set(
            session.execute(
                select(ClientDay.address, ClientDay.agent).where(ClientDay.day == day).distinct()
            ).all()
        )
        for key, tally in counts.items():
            if key.day != day:
                continue
            client = (key.address, key.agent)
            if client not in known and len(known) >= MAX_CLIENTS:
                key = Key(day, OTHER, OTHER, key.verb, key.outcome)
            known.add((key.address, key.agent))
            kept = bounded.setdefault(key, Tally())
            kept.requests += tally.requests
            kept.records += tally.records
    return bounded


@dataclass(frozen=True)
class Client:
    address: str
    agent: str
    requests: int
    records: int
    first: date
    last: date
    verbs: dict[str, int]


def clients(session: Session, since: date) -> list[Client]:
    """Each client since ``since``: its requests, records served and verbs, busiest first."""
    rows = session.execute(
        select(
            ClientDay.address,
            ClientDay.agent,
            ClientDay.verb,
            func.sum(ClientDay.requests),
            func.sum(ClientDay.records),
            func.min(ClientDay.day),
            func.max(ClientDay.day),
        )
        .where(ClientDay.day >= since)
        .group_by(ClientDay.address, ClientDay.agent, ClientDay.verb)
    ).all()
    found: dict[tuple[str, str], Client] = {}
    for address, agent, verb, requests, records, first, last in rows:
        before = found.get((address, agent))
        if before is None:
            before = Client(address, agent, 0, 0, first, last, {})
        found[(address, agent)] = Client(
            address,
            agent,
            before.requests + requests,
            before.records + records,
            min(before.first, first),
            max(before.last, last),
            {**before.verbs, verb: requests},
        )
    return sorted(found.values(), key=lambda c: (-c.requests, c.address, c.agent))


def per_day(session: Session, since: date) -> list[tuple[date, str, int, int]]:
    """(day, verb, requests, records) since ``since``, by day."""
    return [
        tuple(row)
        for row in session.execute(
            select(
                ClientDay.day,
                ClientDay.verb,
                func.sum(ClientDay.requests),
                func.sum(ClientDay.records),
            )
            .where(ClientDay.day >= since)
            .group_by(ClientDay.day, ClientDay.verb)
            .order_by(ClientDay.day)
        ).all()
    ]


def totals(session: Session) -> Iterable[tuple[str, str, int, int]]:
    """(verb, outcome, requests, records) over every kept day: what /metrics counts."""
    return session.execute(
        select(
            ClientDay.verb,
            ClientDay.outcome,
            func.sum(ClientDay.requests),
            func.sum(ClientDay.records),
        ).group_by(ClientDay.verb, ClientDay.outcome)
    ).all()
