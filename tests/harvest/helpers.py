"""Running harvests against fake partners, and reading what reached the catalogue."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from catalogue.tables import QuarantinedRecord, RecordContent, RecordRow, SourceRow
from harvester import state
from harvester.fetch import Fetcher, RetryPolicy
from harvester.reach import Reach
from harvester.sync import Harvest

NOW = datetime(2024, 6, 1, 10, 0, 5)
#: The partners of these tests run on loopback, which a harvester reaches only when told.
LOOPBACK = Reach.parse("127.0.0.0/8, ::1")


class SleepRecorder:
    """Stands in for time.sleep: remembers each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def fetcher(sleep=None, attempts: int = 5, read_timeout: float = 5.0) -> Fetcher:
    policy = RetryPolicy(
        attempts=attempts, base=1.0, cap=30.0, connect_timeout=2.0, read_timeout=read_timeout
    )
    return Fetcher(policy, sleep=sleep or SleepRecorder(), jitter=lambda: 0.5, reach=LOOPBACK)


def add(sessions, partner, name: str = "partner", **options) -> None:
    with sessions.begin() as session:
        if session.get(SourceRow, name) is None:
            state.add_source(
                session,
                name,
                partner.url,
                options.pop("prefixes", []),
                options.pop("sets", []),
                options.pop("schedule", None),
                NOW,
                **options,
            )


def run(sessions, partner, name: str = "partner", fetch: Fetcher | None = None, **options):
    add(sessions, partner, name)
    return Harvest(sessions, name, fetcher=fetch or fetcher(), clock=lambda: NOW, **options).run()


def catalogue(sessions) -> dict[str, bool]:
    """identifier -> deleted, for every record in the store."""
    with sessions() as session:
        return dict(session.execute(select(RecordRow.identifier, RecordRow.deleted)).all())


def titles(sessions) -> dict[str, str]:
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.identifier, RecordContent.data).join(RecordRow.contents)
        ).all()
    return {i: d["titles"][0]["value"] for i, d in rows if d.get("titles")}


def quarantine(sessions) -> list[QuarantinedRecord]:
    with sessions() as session:
        return list(session.scalars(select(QuarantinedRecord).order_by(QuarantinedRecord.id)))


def source(sessions, name: str = "partner") -> SourceRow:
    with sessions() as session:
        return session.get(SourceRow, name)


def live(sessions) -> set[str]:
    return {i for i, deleted in catalogue(sessions).items() if not deleted}


def process_tree(pid: int) -> dict[int, int]:
    """Every process descending from ``pid``, with its parent (read from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {}, True
    while grew:
        grew = False
        for child, parent in parents.items():
            if (parent == pid or parent in tree) and child not in tree:
                tree[child] = parent
                grew = True
    return tree
