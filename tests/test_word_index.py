"""The search's word index (``record_words``) says what the search columns say, on both
stores: written with a record, changed with it by the words that changed alone, made
by migration 0019 from a store that held the full-text indexes, and given back to them
going down."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from sqlalchemy import event, select, text

from catalogue import search, store
from catalogue.database import downgrade, upgrade
from catalogue.model import Text
from catalogue.searched_text import WORD_KEPT, posted
from catalogue.tables import RecordContent, RecordWord
from mappings.formats import render_all
from navette import demo
from tests.conftest import requires_schemas

pytestmark = requires_schemas


def _indexed(sessions) -> dict[int, dict[str, bool]]:
    """What the index holds, record by record."""
    held: dict[int, dict[str, bool]] = {}
    with sessions() as session:
        for word, record_id, in_title in session.execute(select(RecordWord.__table__)):
            held.setdefault(record_id, {})[word] = in_title
    return held


def _said(sessions) -> dict[int, dict[str, bool]]:
    """What the search columns say, record by record."""
    with sessions() as session:
        rows = session.execute(
            select(RecordContent.record_id, RecordContent.search_title, RecordContent.search_text)
        )
        return {record_id: posted(title, words) for record_id, title, words in rows}


def _write(sessions, record) -> None:
    with sessions.begin() as session:
        store.save(session, [store.Written(record, render_all(record))])


def _titles_found(sessions, query: str) -> list[str]:
    with sessions() as session:
        found = search.find(session, query, size=500)
    return [data["identifier"] for _, data, _ in found.records]


def test_each_record_stored_has_its_words_indexed_with_its_titles_marked(sessions):
    demo.load(sessions)
    assert _indexed(sessions) == _said(sessions)
    seed = next(words for words in _indexed(sessions).values() if "bibring" in words)
    assert seed["mission"] is True and seed["bibring"] is False


def test_a_changed_record_is_found_by_its_new_words_and_no_longer_by_its_old(sessions, seed_record):
    _write(sessions, seed_record)
    retitled = replace(seed_record, titles=[Text("Phobos sounding", "en")])
    _write(sessions, retitled)
    assert _indexed(sessions) == _said(sessions)
    assert _titles_found(sessions, "phobos") == [seed_record.identifier]
    assert _titles_found(sessions, "express") == []


def test_a_record_written_again_unchanged_rewrites_none_of_its_words(sessions, seed_record):
    _write(sessions, seed_record)
    sent: list[str] = []
    engine = sessions.kw["bind"]

    def listen(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        _write(sessions, replace(seed_record, abstracts=[Text("Another abstract", "en")]))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert not [s for s in sent if "record_words" in s and ("INSERT" in s or "DELETE" in s)]


def test_a_word_longer_than_the_index_keeps_is_found_by_its_first_characters(sessions, seed_record):
    long_word = "x" * (WORD_KEPT + 50)
    _write(sessions, replace(seed_record, titles=[Text(f"Mars {long_word}", "en")]))
    assert max(len(word) for words in _indexed(sessions).values() for word in words) == WORD_KEPT
    assert _titles_found(sessions, long_word) == [seed_record.identifier]


def test_migration_0019_indexes_what_a_store_held_and_gives_back_its_full_text_index(sessions):
    demo.load(sessions)
    held = _indexed(sessions)
    engine = sessions.kw["bind"]
    downgrade(engine, "0018")
    with sessions() as session:
        if engine.dialect.name == "postgresql":
            matched = "SELECT count(*) FROM record_contents WHERE search_vector @@ 'bibring'"
        else:
            matched = "SELECT count(*) FROM record_search WHERE record_search MATCH 'bibring'"
        assert session.scalar(text(matched)) == 1
    upgrade(engine)
    assert _indexed(sessions) == held


def _waiting_on_a_lock(sessions, backend: int | None) -> bool:
    """Whether that PostgreSQL connection waits on a lock (another test's, on the same
    server, does not count)."""
    if backend is None:
        return False
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid AND wait_event_type = 'Lock'"
    with sessions() as session:
        return bool(session.scalar(text(waiting), {"pid": backend}))


def test_two_writers_changing_one_record_at_once_leave_the_words_of_the_last(sessions, seed_record):
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the second starts after the first")
    _write(sessions, seed_record)
    first = replace(seed_record, titles=[Text("Phobos sounding", "en")])
    second = replace(seed_record, titles=[Text("Deimos sounding", "en")])
    written, release, failed, backend = threading.Event(), threading.Event(), [], []

    def write_first() -> None:
        with sessions.begin() as session:
            store.save(session, [store.Written(first, render_all(first))])
            written.set()
            release.wait(30)

    def write_second() -> None:
        try:
            with sessions.begin() as session:
                backend.append(session.scalar(text("SELECT pg_backend_pid()")))
                store.save(session, [store.Written(second, render_all(second))])
        except Exception as error:
            failed.append(error)

    threads = [threading.Thread(target=write_first), threading.Thread(target=write_second)]
    threads[0].start()
    written.wait(30)
    threads[1].start()
    deadline = time.monotonic() + 30
    while (
        not (waited := _waiting_on_a_lock(sessions, next(iter(backend), None)))
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join(60)
    assert waited and failed == []
    assert _indexed(sessions) == _said(sessions)
    assert _titles_found(sessions, "deimos") == [seed_record.identifier]
    assert _titles_found(sessions, "phobos") == []
