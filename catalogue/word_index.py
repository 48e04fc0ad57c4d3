"""Keeping ``record_words``, the search's index of words, in step with the search
columns of ``record_contents`` it indexes: a new record's words added; for a changed
record, the words that went removed and those that came added, nothing written for the
words that stayed (a record harvested again usually keeps its titles and subjects).
``catalogue.store`` calls ``write`` in the record's transaction (``bench.bulk`` too).

Rows go in the index's own order (word, then record), as plain tuples to the driver:
in a store of 100,000 records, adding 2,000 records' words cost 720-920 µs a record
inserted in the records' order, 310-330 sorted (each leaf of the index visited once,
in turn, rather than again and again)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from catalogue.searched_text import posted
from catalogue.tables import RecordContent

#: A record's search columns: (search_title, search_text).
Searched = tuple[str, str]
#: A row of the index: (word, record id, whether the record's titles hold the word).
Word = tuple[str, int, bool]


def added(written: Mapping[int, Searched]) -> list[Word]:
    """The rows of the words of records new to ``record_contents``, by record id."""
    rows = [
        (word, record_id, in_title)
        for record_id, (title, text) in written.items()
        for word, in_title in posted(title, text).items()
    ]
    rows.sort()
    return rows


def stored_searched(session: Session, record_ids: list[int]) -> dict[int, Searched]:
    """The search columns as stored, read before they are replaced, and locked until the
    transaction ends (PostgreSQL): a writer changing the same record at the same time
    waits, then reads what this one wrote, so neither indexes from a stale line."""
    statement = (
        select(RecordContent.record_id, RecordContent.search_title, RecordContent.search_text)
        .where(RecordContent.record_id.in_(record_ids))
        .with_for_update()
    )
    stored = session.execute(statement)
    return {record_id: (title or "", text or "") for record_id, title, text in stored}


def changed(
    before: Mapping[int, Searched], after: Mapping[int, Searched]
) -> tuple[list[tuple[str, int]], list[Word]]:
    """What turns the index of ``before`` into that of ``after``: the (word, record)
    pairs gone and the rows come.  A word whose title mark changed is both."""
    gone: list[tuple[str, int]] = []
    came: list[Word] = []
    for record_id, (title, text) in after.items():
        old = posted(*before.get(record_id, ("", "")))
        new = posted(title, text)
        gone += [(word, record_id) for word, mark in old.items() if new.get(word) != mark]
        came += [(word, record_id, mark) for word, mark in new.items() if old.get(word) != mark]
    gone.sort()
    came.sort()
    return gone, came


def write(
    connection: Connection, came: Sequence[Word], gone: Sequence[tuple[str, int]] = ()
) -> None:
    """Remove the ``gone`` pairs from the index and add the ``came`` rows."""
    if connection.dialect.name == "postgresql":
        # One statement for the batch, its rows as arrays: a row an INSERT cost
        # PostgreSQL's harvest some 700 µs a record (38 words).
        if gone:
            words, ids = zip(*gone, strict=True)
            connection.exec_driver_sql(
                "DELETE FROM record_words WHERE (word, record_id) IN "
                "(SELECT * FROM unnest(%s::text[], %s::integer[]))",
                (list(words), list(ids)),
            )
        if came:
            words, ids, marks = zip(*came, strict=True)
            connection.exec_driver_sql(
                "INSERT INTO record_words (word, record_id, in_title) "
                "SELECT * FROM unnest(%s::text[], %s::integer[], %s::boolean[])",
                (list(words), list(ids), list(marks)),
            )
        return
    if gone:
        connection.exec_driver_sql(
            "DELETE FROM record_words WHERE word = ? AND record_id = ?", list(gone)
        )
    if came:
        connection.exec_driver_sql(
            "INSERT INTO record_words (word, record_id, in_title) VALUES (?, ?, ?)", list(came)
        )
