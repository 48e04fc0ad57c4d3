"""What a harvest does to a mapped page inside its transaction, before ``store.save``.

Two corrections to the mapper's verdicts, both needing the store as it is now: a record
the previous page also held is mapped again against what that page stored, and simple
DC never silently overwrites a richer stored record (``mappings.downgrade``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from catalogue import codec, store
from harvester import state
from harvester.mapping import Mapped
from harvester.pages import RawRecord
from mappings.downgrade import judge
from protocol.namespaces import OAI_DC, qname

OAI_DC_ROOT = qname(OAI_DC, "dc")

#: Maps one raw record again, given the fingerprint now stored for it (None: none).
Remap = Callable[[RawRecord, str | None], Mapped]


def remap_stale(
    session: Session,
    outcomes: list[Mapped],
    stale: set[str],
    local: Callable[[str], str],
    remap: Remap,
) -> list[Mapped]:
    """Records of ``stale`` (local identifiers) mapped again against the stored fingerprints."""
    again = [m for m in outcomes if local(m.raw.identifier or "") in stale]
    if not again:
        return outcomes
    fresh = store.fingerprints(session, [local(m.raw.identifier) for m in again])
    redone = {id(m): remap(m.raw, fresh.get(local(m.raw.identifier))) for m in again}
    return [redone.get(id(m), m) for m in outcomes]


def keep_richer(session: Session, outcomes: list[Mapped]) -> list[Mapped]:
    """The same record's DC leaves a richer stored record as it is; other DC that would
    lose what the store holds is quarantined with the reason."""
    simple = {
        m.written.identifier: m
        for m in outcomes
        if m.written is not None
        and m.raw.metadata is not None
        and m.raw.metadata.tag == OAI_DC_ROOT
    }
    stored = store.stored_data(session, simple) if simple else {}
    if not stored:
        return outcomes
    judged = {}
    for identifier, data in stored.items():
        mapped = simple[identifier]
        verdict = judge(codec.from_dict(data), mapped.written.full_record())
        if verdict.keep:
            judged[identifier] = Mapped(mapped.raw, unchanged=True)
        elif not verdict.replace:
            judged[identifier] = Mapped(
                mapped.raw,
                problem=f"{verdict.reason(identifier)}; quarantined (the partner's richer "
                "format, or deleting the record here, lets it in)",
            )
    return [judged.get(m.written.identifier, m) if m.written is not None else m for m in outcomes]


def quarantine_rejected(
    session: Session, source: str, prefix: str, outcomes: list[Mapped], url: str, now: datetime
) -> int:
    """Hold each rejected record with its reason and the XML it came in; how many."""
    rejected = [m for m in outcomes if m.problem]
    for mapped in rejected:
        state.quarantine(
            session, source, mapped.raw.identifier, prefix, mapped.problem, mapped.raw.xml, url, now
        )
    return len(rejected)


def resolve_quarantined(session: Session, source: str, outcomes: list[Mapped]) -> None:
    """Records that came again and went in leave the quarantine (marked resolved)."""
    taken = [m.raw.identifier for m in outcomes if not m.problem and m.raw.identifier]
    if taken:
        state.resolve_quarantined(session, source, taken)
