"""Finding records by what people type: a title word, a name, a subject, an identifier.

Each record keeps one folded line of its searchable values (lower case, accents
removed, one space between words), written with the record, so a search is a
``LIKE`` per word that runs alike on SQLite and PostgreSQL, and "Francois" finds
"François".  A full-text engine would rank; a catalogue of films needs to find.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from catalogue.model import Record
from catalogue.tables import RecordContent, RecordRow, RecordSet

_SPACES = re.compile(r"\s+")
#: The most words a search may hold: each one is a LIKE over the catalogue.
MAX_WORDS = 8


def fold(text: str) -> str:
    """'  Jean-Pierre  BIBRING ' -> 'jean-pierre bibring'; 'Université' -> 'universite'."""
    if text.isascii():
        # Most values: nothing to decompose, and lower() is casefold() for ASCII.
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold()).strip()


def _values(record: Record) -> list[str]:
    values = [record.identifier, record.item_number or "", record.landing_page or ""]
    for texts in (record.titles, record.alternative_titles, record.series, record.subjects):
        values += [t.value for t in texts]
    values += [t.value for t in record.identifiers]
    for credit in record.credits:
        if credit.person is not None:
            person = credit.person
            values += [person.family_name, person.given_name or "", *person.affiliations]
        values.append(credit.organisation or "")
        if credit.unqualified:
            values.append(credit.written or "")
    values += record.laboratories
    values += record.laboratory_names.values()
    return [v for v in values if v]


def search_text(record: Record) -> str:
    """The record's searchable values, folded, separated by ' | '."""
    return " | ".join(fold(value) for value in _values(record))


def words(query: str) -> list[str]:
    """The folded words of a query, at most MAX_WORDS of them."""
    return fold(query).split()[:MAX_WORDS]


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching(query: str) -> ColumnElement[bool] | None:
    """SQL condition: the record holds every word of the query; None for an empty query."""
    found = words(query)
    if not found:
        return None
    column = RecordContent.__table__.c.search_text
    return and_(*(column.like(f"%{_escaped(w)}%", escape="\\") for w in found))


@dataclass
class Found:
    """One page of a search: the rows' identifiers and JSON forms, and how many match."""

    records: list[tuple[str, dict, bool]]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def find(
    session: Session,
    query: str = "",
    set_spec: str | None = None,
    page: int = 1,
    size: int = 50,
    with_deleted: bool = False,
) -> Found:
    """Records holding every word of ``query``, in ``set_spec`` when given, by identifier."""
    conditions = []
    if not with_deleted:
        conditions.append(RecordRow.deleted.is_(False))
    condition = matching(query)
    if condition is not None:
        conditions.append(condition)
    if set_spec:
        members = select(RecordSet.record_id).where(RecordSet.spec == set_spec)
        conditions.append(RecordRow.id.in_(members))
    total = session.scalar(
        select(func.count()).select_from(RecordRow).join(RecordRow.contents).where(*conditions)
    )
    rows = session.execute(
        select(RecordRow.identifier, RecordContent.data, RecordRow.deleted)
        .join(RecordRow.contents)
        .where(*conditions)
        .order_by(RecordRow.identifier)
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return Found([tuple(row) for row in rows], total or 0, page, size)
