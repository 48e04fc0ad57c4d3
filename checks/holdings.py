"""What each format holds: how many live records are disseminated in it, and why the
others are not (the format is not served, a record lacks what the format demands, or
no valid rendering could be made).  An admin told "EDM: 0 records" needs the reason
("no rights statement URI: set NAVETTE_DEFAULT_RIGHTS") more than the number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from catalogue import codec
from catalogue.tables import RecordContent, RecordRow, Rendering
from mappings.formats import FORMATS
from mappings.publication import Publication

#: Records without a format's rendering whose reasons are looked at, per format: the
#: page stays quick on a catalogue of millions, and the reasons repeat.
EXAMINED = 1000
NOT_RENDERED = (
    "no valid rendering was made when it was written (`navette render` tries again and says why)"
)


@dataclass
class Holding:
    prefix: str
    served: bool
    records: int
    #: Live records not in the format.
    missing: int
    #: Why, counted over the first ``examined`` of them, most frequent first.
    reasons: list[tuple[str, int]] = field(default_factory=list)
    examined: int = 0


def holdings(session: Session, publication: Publication) -> list[Holding]:
    """Each format Navette writes, with what it holds of the live catalogue."""
    live = session.scalar(select(func.count()).where(RecordRow.deleted.is_(False)))
    held = dict(
        session.execute(
            select(Rendering.prefix, func.count())
            .join(RecordRow, RecordRow.id == Rendering.record_id)
            .where(RecordRow.deleted.is_(False))
            .group_by(Rendering.prefix)
        ).all()
    )
    found = []
    for prefix in FORMATS:
        served = publication.publishes(prefix)
        holding = Holding(prefix, served, held.get(prefix, 0) if served else 0, 0)
        holding.missing = live - holding.records
        if not served:
            holding.reasons = [("the format is not served (NAVETTE_FORMATS)", holding.missing)]
        elif holding.missing:
            holding.reasons, holding.examined = _reasons(session, prefix, publication)
        found.append(holding)
    return found


def _reasons(
    session: Session, prefix: str, publication: Publication
) -> tuple[list[tuple[str, int]], int]:
    without = (
        select(RecordContent.data)
        .join(RecordRow, RecordRow.id == RecordContent.record_id)
        .where(
            RecordRow.deleted.is_(False),
            ~exists().where(and_(Rendering.record_id == RecordRow.id, Rendering.prefix == prefix)),
        )
        .order_by(RecordRow.id)
        .limit(EXAMINED)
    )
    reasons: Counter[str] = Counter()
    examined = 0
    for data in session.scalars(without):
        examined += 1
        published = publication.apply(codec.from_dict(data))
        reasons[FORMATS[prefix].lacks(published) or NOT_RENDERED] += 1
    return reasons.most_common(), examined


def said(holding: Holding) -> str:
    """The holding in a sentence, as the command line warns of it."""
    if not holding.missing:
        return f"{holding.prefix} holds all {holding.records} live records"
    why = "; ".join(f"{count} {reason}" for reason, count in holding.reasons[:3])
    sample = (
        f" (reasons of the first {holding.examined})"
        if holding.examined and holding.examined < holding.missing
        else ""
    )
    return (
        f"{holding.prefix} holds {holding.records} of the live records; "
        f"{holding.missing} are not in it{sample}: {why}"
    )
