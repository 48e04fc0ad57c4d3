"""What the ResourceSync lists read from the store: the live renderings of one format in
id order (Resource Lists), and every change in datestamp order (Change Lists).

A list is cut into pages at fixed keys, found once by the index that names them: a
page then reads only its own range, however far into a million records it lies, and
its URL keeps meaning the same records while the catalogue moves on.  Rows stream
from the database; none of these functions holds a page in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from catalogue.tables import RecordRow, Rendering

#: Rows read from the database at a time while a list is written.
BATCH = 500

_KEY = re.compile(r"^(\d{8}T\d{6}Z)\.(\d{1,18})$")


@dataclass(frozen=True)
class Change:
    identifier: str
    datestamp: datetime
    #: "created", "updated" or "deleted", as ``rs:md change`` says it.
    change: str
    #: The rendering's text; None for a deletion.
    xml: str | None


def _live_in(prefix: str) -> ColumnElement[bool]:
    return and_(RecordRow.deleted.is_(False), RecordRow.formats.contains(f" {prefix} "))


def _in_change_list(prefix: str) -> ColumnElement[bool]:
    """As OAI-PMH lists them: a deletion is announced in every format."""
    return or_(RecordRow.deleted.is_(True), RecordRow.formats.contains(f" {prefix} "))


def _every_nth(session: Session, order, where, every: int) -> list:
    numbered = (
        select(*order, func.row_number().over(order_by=order).label("number"))
        .where(where)
        .subquery()
    )
    columns = [numbered.c[column.key] for column in order]
    return [
        tuple(row)
        for row in session.execute(
            select(*columns).where((numbered.c.number - 1) % every == 0).order_by(*columns)
        )
    ]


def resource_pages(session: Session, prefix: str, per_page: int) -> list[tuple[int, int]]:
    """Each page's first and last record id: ``per_page`` live records at most."""
    starts = [start for (start,) in _every_nth(session, [RecordRow.id], _live_in(prefix), per_page)]
    if not starts:
        return []
    last = session.scalar(select(func.max(RecordRow.id)).where(_live_in(prefix)))
    ends = [following - 1 for following in starts[1:]] + [last]
    return list(zip(starts, ends, strict=True))


def resources(
    session: Session, prefix: str, first: int | None = None, last: int | None = None
) -> Iterator[tuple[str, datetime, str]]:
    """Identifier, datestamp and rendering of the live records with ids in the range
    (all of them without one: a dump reads the format in one stream)."""
    query = (
        select(RecordRow.identifier, RecordRow.datestamp, Rendering.xml)
        .join(Rendering, and_(Rendering.record_id == RecordRow.id, Rendering.prefix == prefix))
        .where(RecordRow.deleted.is_(False))
        .order_by(RecordRow.id)
    )
    if first is not None and last is not None:
        query = query.where(RecordRow.id.between(first, last))
    yield from session.execute(query.execution_options(yield_per=BATCH))


def change_pages(session: Session, prefix: str, per_page: int) -> list[tuple[datetime, int]]:
    """Each Change List page's first change, as (datestamp, record id)."""
    order = [RecordRow.datestamp, RecordRow.id]
    return _every_nth(session, order, _in_change_list(prefix), per_page)


def changes(
    session: Session,
    prefix: str,
    start: tuple[datetime, int],
    end: tuple[datetime, int] | None,
) -> Iterator[Change]:
    """The latest change of each record from ``start`` up to ``end`` (not included),
    oldest first as a Change List orders them."""
    key = tuple_(RecordRow.datestamp, RecordRow.id)
    where = [_in_change_list(prefix), key >= tuple_(*start)]
    if end is not None:
        where.append(key < tuple_(*end))
    query = (
        select(
            RecordRow.identifier,
            RecordRow.datestamp,
            RecordRow.created,
            RecordRow.deleted,
            Rendering.xml,
        )
        .outerjoin(Rendering, and_(Rendering.record_id == RecordRow.id, Rendering.prefix == prefix))
        .where(*where)
        .order_by(RecordRow.datestamp, RecordRow.id)
    )
    for identifier, datestamp, created, deleted, xml in session.execute(
        query.execution_options(yield_per=BATCH)
    ):
        if deleted:
            change = "deleted"
        elif created is not None and created >= datestamp:
            change = "created"
        else:
            change = "updated"
        yield Change(identifier, datestamp, change, None if deleted else xml)


def earliest_change(session: Session, prefix: str) -> datetime | None:
    return session.scalar(select(func.min(RecordRow.datestamp)).where(_in_change_list(prefix)))


def page_key(datestamp: datetime, record_id: int) -> str:
    """'20261206T101500Z.42': where a Change List page starts, as its URL names it."""
    return f"{datestamp:%Y%m%dT%H%M%S}Z.{record_id}"


def parse_page_key(text: str) -> tuple[datetime, int] | None:
    """The key ``page_key`` wrote, or None for text that is not one."""
    match = _KEY.match(text)
    if match is None:
        return None
    try:
        moment = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    return moment, int(match.group(2))
