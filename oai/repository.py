"""What the provider reads from the store of record, in the shape OAI-PMH lists it.

Lists page by keyset on (datestamp, identifier), never OFFSET, so the cost of a
page does not grow with its depth.  Set membership is stored with every ancestor
set, so ``set=A`` is one indexed equality that also selects ``A:B`` and deeper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from catalogue.database import BINARY_RESULTS
from catalogue.packing import PackedBytes, PackedUTF8, unpack_page
from catalogue.save_plan import format_list
from catalogue.tables import RecordRow, RecordSet, Rendering, SetRow

RECORDS = RecordRow.__table__


@dataclass(frozen=True)
class Window:
    """A list request's selection: format, set and the inclusive date bounds."""

    prefix: str
    set_spec: str | None
    start: datetime | None
    end: datetime | None


class datestamp_text(FunctionElement):
    """A datestamp column as OAI-PMH writes it ('2026-11-24T06:09:59Z'), made by the
    database: a page's hundred datestamps are never parsed into datetimes only to be
    formatted back."""

    type = String()
    inherit_cache = True


@compiles(datestamp_text, "sqlite")
def _sqlite_datestamp(element: datestamp_text, compiler, **kw) -> str:
    return "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %s)" % compiler.process(element.clauses, **kw)


@compiles(datestamp_text, "postgresql")
def _postgresql_datestamp(element: datestamp_text, compiler, **kw) -> str:
    return """to_char(%s, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')""" % compiler.process(element.clauses, **kw)


#: A rendering as the UTF-8 bytes the response sends: unpacked, never decoded to text.
UTF8 = PackedUTF8()
#: A rendering as stored, packed: a list page unpacks its renderings together.
PACKED = PackedBytes()


class word_position(FunctionElement):  # a SQL function, named as one
    """Where a space-padded word list (``RecordRow.formats``: " ebucore oai_dc ") holds
    the word, padded alike (0: nowhere): a plain substring search.  ``LIKE`` with a
    bound pattern cost SQLite a fresh query plan at every page (a bound LIKE pattern on
    an indexed column makes it re-prepare the statement) and a character-by-character
    match on every row: a tenth of a page's read (docs/performance.md)."""

    type = Integer()
    inherit_cache = True


@compiles(word_position)
def _instr(element: word_position, compiler, **kw) -> str:
    text, word = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"instr({text}, {word})"


@compiles(word_position, "postgresql")
def _strpos(element: word_position, compiler, **kw) -> str:
    text, word = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"strpos({text}, {word})"


class Item(NamedTuple):
    """A row of a page, as the page query selects it, in its order: made straight
    from the driver's row, with no field converted."""

    identifier: str
    #: As the response writes it: 'YYYY-MM-DDThh:mm:ssZ'.
    datestamp: str
    #: True or False (on SQLite 1 or 0, as the driver gives them).
    deleted: bool
    #: Space-separated, as ``RecordRow.set_specs`` keeps them.
    set_specs: str
    #: The rendering, UTF-8 encoded (None: deleted, or ListIdentifiers).
    metadata: bytes | None = None
    about: str | None = None
    #: The rendering may declare XML IDs (``protocol.xml_ids``).
    declares_ids: bool = False


def earliest_datestamp(session: Session) -> datetime | None:
    return session.scalar(select(func.min(RecordRow.datestamp)))


def sample_identifier(session: Session) -> str | None:
    """The earliest live record's identifier (read along the datestamp index, not sorted)."""
    return session.scalar(
        select(RecordRow.identifier)
        .where(RecordRow.deleted.is_(False))
        .order_by(RecordRow.datestamp, RecordRow.identifier)
        .limit(1)
    )


def find(session: Session, identifier: str) -> RecordRow | None:
    return session.scalar(select(RecordRow).where(RecordRow.identifier == identifier))


def formats_of(session: Session, record_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Rendering.prefix)
            .where(Rendering.record_id == record_id)
            .order_by(Rendering.prefix)
        )
    )


def rendering(session: Session, record_id: int, prefix: str) -> bytes | None:
    """The stored rendering, UTF-8 encoded as the response sends it."""
    xml = session.scalar(
        select(type_coerce(Rendering.xml, UTF8)).where(
            Rendering.record_id == record_id, Rendering.prefix == prefix
        )
    )
    return xml


def _conditions(start: bool, end: bool, in_set: bool) -> list[ColumnElement]:
    """The WHERE clause of a window of this shape, its values bound at each request
    (``_values``): on the columns of the (datestamp, identifier) index, so a list is
    selected and counted without reading the records themselves.

    Written on the tables, not the mapped classes: a page is plain rows, and the
    ORM's row handling would cost a good part of it."""
    records = RECORDS.c
    datestamp = records.datestamp.type
    conditions = [
        or_(
            records.deleted.is_(True),
            word_position(records.formats, bindparam("format_word")) > literal_column("0"),
        )
    ]
    if start:
        conditions.append(records.datestamp >= bindparam("start", type_=datestamp))
    if end:
        conditions.append(records.datestamp <= bindparam("end", type_=datestamp))
    if in_set:
        memberships = RecordSet.__table__
        conditions.append(
            exists().where(
                memberships.c.record_id == records.id, memberships.c.spec == bindparam("set")
            )
        )
    return conditions


def _shape(window: Window) -> tuple[bool, bool, bool]:
    return window.start is not None, window.end is not None, window.set_spec is not None


def _values(window: Window) -> dict[str, object]:
    return {
        "prefix": window.prefix,
        "format_word": format_list([window.prefix]),
        "start": window.start,
        "end": window.end,
        "set": window.set_spec,
    }


@cache
def _count_query(start: bool, end: bool, in_set: bool) -> ColumnElement:
    return select(func.count()).select_from(RECORDS).where(*_conditions(start, end, in_set))


def count(session: Session, window: Window) -> int:
    return session.connection().scalar(_count_query(*_shape(window)), _values(window))


@cache
def page_query(
    with_metadata: bool, start: bool, end: bool, in_set: bool, after: bool
) -> ColumnElement:
    """The page query of one shape, built once: its values are bound at each request
    (building a statement costs more than SQLite takes to run it).  Public so that
    ``bench/serve_budget.py`` times the very statement the provider runs."""
    records = RECORDS.c
    columns = [
        records.identifier,
        datestamp_text(records.datestamp),
        records.deleted,
        records.set_specs,
    ]
    query = select(*columns)
    if with_metadata:
        renderings = Rendering.__table__
        query = select(
            *columns,
            type_coerce(renderings.c.xml, PACKED),
            records.about,
            renderings.c.declares_ids,
        ).outerjoin(
            renderings,
            and_(
                renderings.c.record_id == records.id,
                renderings.c.prefix == bindparam("prefix"),
            ),
        )
    conditions = _conditions(start, end, in_set)
    if after:
        conditions.append(
            tuple_(records.datestamp, records.identifier)
            > tuple_(
                bindparam("after_datestamp", type_=records.datestamp.type),
                bindparam("after_identifier"),
            )
        )
    return (
        query.where(*conditions)
        .order_by(records.datestamp, records.identifier)
        .limit(bindparam("limit"))
        .execution_options(**{BINARY_RESULTS: True})
    )


def page(
    session: Session,
    window: Window,
    after: tuple[datetime, str] | None,
    limit: int,
    with_metadata: bool,
) -> list[Item]:
    """Up to ``limit`` items of the window, after the (datestamp, identifier) key."""
    query = page_query(with_metadata, *_shape(window), after is not None)
    values = {**_values(window), "limit": limit}
    if after is not None:
        values["after_datestamp"], values["after_identifier"] = after
    result = session.connection().execute(query, values)
    try:
        # The driver's own tuples: no column needs converting (the datestamp comes as
        # text, a rendering packed), and a thousand rows made again as SQLAlchemy's
        # cost a twentieth of a page.  SQLite's 0 and 1 stand for False and True.
        rows = result.cursor.fetchall()
    finally:
        result.close()
    if not with_metadata:
        return [Item(*row) for row in rows]
    metadata = unpack_page([row[4] for row in rows])
    return [
        Item(row[0], row[1], row[2], row[3], xml, row[5], row[6])
        for row, xml in zip(rows, metadata, strict=True)
    ]


def has_sets(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(SetRow)) > 0


def set_exists(session: Session, spec: str) -> bool:
    return session.scalar(select(func.count()).where(SetRow.spec == spec)) > 0


def sets_page(session: Session, after: str | None, limit: int) -> list[SetRow]:
    query = select(SetRow).order_by(SetRow.spec).limit(limit)
    if after is not None:
        query = query.where(SetRow.spec > after)
    return list(session.scalars(query))


def count_sets(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SetRow))
