"""Where a harvest stands, stored with every page so that a killed harvest resumes there.

Kept in the source's row as JSON with the keys it has always had ("from", "token"...),
so that a checkpoint written by an earlier version resumes under this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Distinct warnings a run report keeps; a partner that warns on every page is said once.
MAX_NOTES = 20


@dataclass
class Checkpoint:
    #: The metadataPrefix harvested (chosen once, kept to the end of the run).
    prefix: str
    #: The ``from`` argument of every list of the run (None: everything).
    start: str | None
    #: The sets harvested one after the other ([None]: the whole repository).
    sets: list[str | None]
    #: The partner's responseDate of Identify (None: it gave none).
    started: str | None
    set_index: int = 0
    #: The resumption token of the next page to fetch (None: the list's first page).
    token: str | None = None
    #: The run's counts so far (new, updated, deleted...), restored on resumption.
    counts: dict[str, int] = field(default_factory=dict)
    #: The newest datestamp the run has received (ISO, UTC): with ``started``, where the
    #: next run's window begins (``harvester.window``).
    newest: str | None = None
    #: The source's live records when the run began: the deletion threshold's base.
    live_at_start: int | None = None
    #: What the run report will say besides its counts (warnings, once each).
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < MAX_NOTES:
            self.notes.append(text)

    @property
    def finished(self) -> bool:
        return self.set_index >= len(self.sets)

    @property
    def current_set(self) -> str | None:
        return self.sets[self.set_index]

    def next_set(self) -> None:
        self.set_index += 1
        self.token = None

    def as_json(self) -> dict[str, Any]:
        return {
            "prefix": self.prefix,
            "from": self.start,
            "sets": list(self.sets),
            "set_index": self.set_index,
            "token": self.token,
            "started": self.started,
            "counts": dict(self.counts),
            "newest": self.newest,
            "live_at_start": self.live_at_start,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            prefix=data["prefix"],
            start=data.get("from"),
            sets=list(data.get("sets") or [None]),
            started=data.get("started"),
            set_index=int(data.get("set_index", 0)),
            token=data.get("token"),
            counts=dict(data.get("counts") or {}),
            newest=data.get("newest"),
            live_at_start=data.get("live_at_start"),
            notes=list(data.get("notes") or []),
        )
