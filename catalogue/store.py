"""Writing records to the store of record.

A record is written with its XML renderings (made by the caller with
``mappings``, so the store never runs a crosswalk) and its sets.  Its datestamp
moves only when what it disseminates changes: the content hash covers the
renderings and the set memberships, so re-importing the same record is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, case, delete, insert, select, update
from sqlalchemy.orm import Session

from catalogue import codec, packing, save_plan, word_index
from catalogue.facets import facets
from catalogue.model import Record
from catalogue.tables import (
    RecordContent,
    RecordFacet,
    RecordRow,
    RecordSet,
    Rendering,
    SetRow,
)
from protocol import xml_ids
from protocol.dates import utc_now

BATCH = 500


@dataclass
class Written:
    """A record and its renderings (metadata prefix -> serialised XML), ready to store.

    ``record`` may be None when ``identifier``, ``data`` and ``sets`` are given:
    records mapped in another process travel as their JSON text, which costs a
    fraction of unpickling their objects.
    """

    record: Record | None
    renderings: Mapping[str, str]
    #: The OAI ``about`` XML (provenance) for harvested records.
    about: str | None = None
    #: See ``fingerprint``; lets a later write of the same record skip rendering.
    fingerprint: str | None = None
    #: The record's JSON form (or its text), when the caller already made it.
    data: dict | codec.JSONText | None = None
    #: The record's sets (``record_sets``) and ``content_hash``, when the caller
    #: already made them (a harvest makes them in its worker processes).
    sets: dict[str, str] | None = None
    content_hash: str | None = None
    identifier: str = ""
    #: The formats the record is not disseminated in, with the reason (what it lacks).
    withheld: Mapping[str, str] = field(default_factory=dict)
    #: ``catalogue.searched_text.searchable`` of the record as published, when already made.
    searchable: dict[str, Any] | None = None
    #: ``catalogue.facets.facets`` of the record, as (kind, value, lang), when made.
    facets: list[tuple[str, str, str]] | None = None

    def browsed_by(self) -> list[tuple[str, str, str]]:
        if self.facets is not None:
            return self.facets
        return [(f.kind, f.value, f.lang) for f in facets(self.full_record())]

    def __post_init__(self) -> None:
        if not self.identifier and self.record is not None:
            self.identifier = self.record.identifier

    def full_record(self) -> Record:
        if self.record is not None:
            return self.record
        return codec.from_dict(json.loads(self.data) if isinstance(self.data, str) else self.data)

    def travelling(self) -> Written:
        """This record as it is sent between processes: its JSON text, no objects."""
        text = self.data if isinstance(self.data, str) else codec.JSONText(codec.dumps(self.data))
        return replace(self, record=None, data=text)


def fingerprint(data: dict, crosswalk_version: str) -> str:
    """What the renderings depend on: the record's content (its JSON form, less its
    provenance) and the version of the crosswalks that render it."""
    content = {k: v for k, v in data.items() if k != "provenance"}
    text = codec.dumps(content, sort_keys=True)
    return hashlib.sha256(f"{crosswalk_version}\0{text}".encode()).hexdigest()


def _of_live(session: Session, query: Select, identifiers: Iterable[str]) -> dict:
    """identifier -> value, as ``query`` selects the pair, for those of ``identifiers``
    that are live records."""
    identifiers = list(identifiers)
    if not identifiers:
        return {}
    rows = session.execute(
        query.where(RecordRow.identifier.in_(identifiers), RecordRow.deleted.is_(False))
    )
    return {identifier: value for identifier, value in rows if value}


def fingerprints(session: Session, identifiers: Iterable[str]) -> dict[str, str]:
    """The stored fingerprints of those of ``identifiers`` that are live records."""
    return _of_live(session, select(RecordRow.identifier, RecordRow.fingerprint), identifiers)


def stored_data(session: Session, identifiers: Iterable[str]) -> dict[str, dict]:
    """The JSON form of those of ``identifiers`` that are live records."""
    query = select(RecordRow.identifier, RecordContent.data).join(RecordRow.contents)
    return _of_live(session, query, identifiers)


def save(
    session: Session,
    items: Iterable[Written],
    now: datetime | None = None,
    source: str | None = None,
) -> Counter[str]:
    """Insert or update records; counts 'new', 'updated' and 'unchanged'.

    The caller owns the transaction.  Work goes in batches, so a large import
    costs a few queries per hundred records, not per record.
    """
    now = now or utc_now()
    counts: Counter[str] = Counter()
    batch: list[Written] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            counts += _save_batch(session, batch, now, source)
            batch = []
    if batch:
        counts += _save_batch(session, batch, now, source)
    return counts


def _save_batch(
    session: Session, batch: list[Written], now: datetime, source: str | None
) -> Counter[str]:
    """Core statements, a few per batch: the ORM's unit of work costs more than the
    rest of a harvest's writing, and nothing here needs it."""
    identifiers = {item.identifier for item in batch}
    stored = {
        row.identifier: row
        for row in session.execute(
            select(
                RecordRow.id,
                RecordRow.identifier,
                RecordRow.deleted,
                RecordRow.content_hash,
                RecordRow.fingerprint,
                RecordRow.about,
                RecordRow.source,
            ).where(RecordRow.identifier.in_(identifiers))
        )
    }
    sets = save_plan.memberships(batch)
    wanted = {spec for specs in sets for spec in specs}
    known_sets = set(session.scalars(select(SetRow.spec).where(SetRow.spec.in_(wanted))))
    decided = save_plan.plan(batch, stored, known_sets, now, source, sets)
    _apply(session, decided)
    return decided.counts


def _apply(session: Session, decided: save_plan.Plan) -> None:
    if decided.new_sets:
        _insert_missing(session, SetRow, decided.new_sets)
    ids = {identifier: values["row_id"] for identifier, values in decided.updates.items()}
    records = RecordRow.__table__
    if decided.inserts:
        # One executemany, then the new ids by identifier: an ordered RETURNING would
        # be one statement per row on SQLite.
        session.execute(insert(records), list(decided.inserts.values()))
        created = session.execute(
            select(records.c.identifier, records.c.id).where(
                records.c.identifier.in_(decided.inserts)
            )
        )
        ids.update({identifier: record_id for identifier, record_id in created})
    by_id = update(records).where(records.c.id == bindparam("row_id"))
    if decided.updates:
        # A record that comes back after its deletion is created again (the right-hand
        # side reads the row as it was, still deleted).
        came_back = case((records.c.deleted, bindparam("b_datestamp")), else_=records.c.created)
        rows = decided.updates.values()
        stamped = [{**values, "b_datestamp": values["datestamp"]} for values in rows]
        session.execute(by_id.values(created=came_back), stamped)
    if decided.refreshed:
        session.execute(by_id, list(decided.refreshed.values()))
    refreshed = {identifier: values["row_id"] for identifier, values in decided.refreshed.items()}
    _write_contents(session, decided, ids | refreshed)
    if decided.updates:
        changed = [values["row_id"] for values in decided.updates.values()]
        session.execute(delete(Rendering).where(Rendering.record_id.in_(changed)))
        session.execute(delete(RecordSet).where(RecordSet.record_id.in_(changed)))
        session.execute(delete(RecordFacet).where(RecordFacet.record_id.in_(changed)))
    renderings = [
        {
            "record_id": ids[identifier],
            "prefix": prefix,
            "xml": packing.pack(prefix, xml),
            "declares_ids": xml_ids.may_declare(prefix, xml),
        }
        for identifier, (item, _) in decided.contents.items()
        for prefix, xml in item.renderings.items()
    ]
    sets = [
        {"record_id": ids[identifier], "spec": spec}
        for identifier, (_, specs) in decided.contents.items()
        for spec in specs
    ]
    browsed = [
        {"kind": kind, "value": value, "lang": lang, "record_id": ids[identifier]}
        for identifier, (item, _) in decided.contents.items()
        for kind, value, lang in item.browsed_by()
    ]
    if renderings:
        _insert_plain(session, Rendering.__table__, renderings)
    if sets:
        _insert_plain(session, RecordSet.__table__, sets)
    if browsed:
        _insert_plain(session, RecordFacet.__table__, browsed)


#: The columns of ``record_contents`` that ``catalogue.searched_text.searchable`` makes.
SEARCHED = ("search_text", "search_title", "title_key", "year")


def _write_contents(session: Session, decided: save_plan.Plan, ids: dict[str, int]) -> None:
    """Each record's JSON form and search line, and the search line's words in the word
    index: inserted for a new record, replaced for one already stored (a deleted record
    keeps its own until it comes back)."""
    contents = RecordContent.__table__
    new, stored = [], []
    for identifier, values in decided.record_contents.items():
        if identifier in decided.inserts:
            new.append({"record_id": ids[identifier], **values})
        else:
            stored.append({"row_id": ids[identifier], **values})
    if new:
        session.execute(insert(contents), new)
        written = word_index.added({row["record_id"]: _searched(row) for row in new})
        word_index.write(session.connection(), written)
    if stored:
        before = word_index.stored_searched(session, [row["row_id"] for row in stored])
        session.execute(
            update(contents)
            .where(contents.c.record_id == bindparam("row_id"))
            .values(
                data=bindparam("data"),
                **{name: bindparam(name) for name in SEARCHED},
            ),
            stored,
        )
        after = {row["row_id"]: _searched(row) for row in stored}
        gone, came = word_index.changed(before, after)
        word_index.write(session.connection(), came, gone)


def _searched(values: dict) -> word_index.Searched:
    return values.get("search_title") or "", values.get("search_text") or ""


def _insert_plain(session: Session, table, rows: list[dict]) -> None:
    """Rows of plain ints and strings.  On SQLite they go straight to the driver's
    executemany: SQLAlchemy's per-row parameter processing costs more than SQLite's
    insert.  Elsewhere SQLAlchemy batches them into multi-row VALUES."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    statement = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    connection.exec_driver_sql(statement, [tuple(row[c] for c in columns) for row in rows])


def _insert_missing(session: Session, table, rows: list[dict]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: a concurrent writer may add the same rows."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    session.execute(dialect_insert(table).on_conflict_do_nothing(), rows)


def delete_record(session: Session, identifier: str, now: datetime | None = None) -> bool:
    """Make the record a tombstone: deleted, datestamped now, no metadata left.

    Returns False when there is no such record or it is already deleted.
    """
    now = now or utc_now()
    row = session.scalar(select(RecordRow).where(RecordRow.identifier == identifier))
    if row is None or row.deleted:
        return False
    session.execute(delete(Rendering).where(Rendering.record_id == row.id))
    session.execute(delete(RecordFacet).where(RecordFacet.record_id == row.id))
    session.execute(
        update(RecordRow)
        .where(RecordRow.id == row.id)
        .values(deleted=True, deleted_at=now, datestamp=now, content_hash="deleted", formats="")
    )
    return True


def delete_source_records(session: Session, source: str, now: datetime) -> int:
    """Make every live record of ``source`` a tombstone, as ``delete_record`` does one."""
    live = select(RecordRow.id).where(RecordRow.source == source, RecordRow.deleted.is_(False))
    session.execute(delete(Rendering).where(Rendering.record_id.in_(live.scalar_subquery())))
    session.execute(delete(RecordFacet).where(RecordFacet.record_id.in_(live.scalar_subquery())))
    result = session.execute(
        update(RecordRow)
        .where(RecordRow.source == source, RecordRow.deleted.is_(False))
        .values(deleted=True, deleted_at=now, datestamp=now, content_hash="deleted", formats="")
    )
    return result.rowcount
