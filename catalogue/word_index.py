"""Keeping ``record_words``, the search's index of words, in step with the search
columns of ``record_contents`` it indexes: a new record's words added; for a changed
record, the words that went removed and those that came added, nothing written for the
words that stayed (a record harvested again usually keeps its titles and subjects).
``catalogue.store`` writes the rows these functions make, in the record's transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from catalogue.searched_text import posted
from catalogue.tables import RecordContent, RecordWord

WORDS = RecordWord.__table__
#: A record's search columns: (search_title, search_text).
Searched = tuple[str, str]
#: Removes one (word, record) of the index: run with the ``gone`` of ``changed``.
FORGET = delete(WORDS).where(
    WORDS.c.word == bindparam("b_word"), WORDS.c.record_id == bindparam("b_record_id")
)


def added(written: Mapping[int, Searched]) -> list[dict]:
    """The rows of the words of records new to ``record_contents``, by record id."""
    return [
        {"word": word, "record_id": record_id, "in_title": in_title}
        for record_id, (title, text) in written.items()
        for word, in_title in posted(title, text).items()
    ]


def stored_searched(session: Session, record_ids: list[int]) -> dict[int, Searched]:
    """The search columns as stored, read before they are replaced."""
    statement = select(
        RecordContent.record_id, RecordContent.search_title, RecordContent.search_text
    ).where(RecordContent.record_id.in_(record_ids))
    stored = session.execute(statement)
    return {record_id: (title or "", text or "") for record_id, title, text in stored}


def changed(
    before: Mapping[int, Searched], after: Mapping[int, Searched]
) -> tuple[list[dict], list[dict]]:
    """What turns the index of ``before`` into that of ``after``: the (word, record)
    pairs gone, for ``FORGET``, and the rows come, to insert.  A word whose title mark
    changed is both."""
    gone, came = [], []
    for record_id, (title, text) in after.items():
        old = posted(*before.get(record_id, ("", "")))
        new = posted(title, text)
        gone += [
            {"b_word": word, "b_record_id": record_id}
            for word, in_title in old.items()
            if new.get(word) != in_title
        ]
        came += [
            {"word": word, "record_id": record_id, "in_title": in_title}
            for word, in_title in new.items()
            if old.get(word) != in_title
        ]
    return gone, came
