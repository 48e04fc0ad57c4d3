"""The store's pages: a SQLite store is made of 64 kB pages, and one made of smaller
pages is rewritten in them when it is compacted, every record kept."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from catalogue import store
from catalogue.database import SQLITE_PAGE_SIZE, StoreInUse, compact_all, open_store
from catalogue.tables import Rendering
from mappings.formats import render_all
from navette.cli import main

T0 = datetime(2024, 3, 1, 12, 0, 0)


def _pragma(path, name: str):
    with sqlite3.connect(path) as connection:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]


def _renderings(sessions) -> list[tuple]:
    with sessions() as session:
        query = select(Rendering.record_id, Rendering.prefix, Rendering.xml)
        return session.execute(query.order_by(Rendering.record_id, Rendering.prefix)).all()


def test_a_new_sqlite_store_is_made_of_64_kb_pages_in_wal_mode(tmp_path):
    path = tmp_path / "navette.db"
    open_store(f"sqlite:///{path}").kw["bind"].dispose()
    assert _pragma(path, "page_size") == SQLITE_PAGE_SIZE == 65536
    assert _pragma(path, "journal_mode") == "wal"


def test_compacting_a_store_of_4_kb_pages_rewrites_it_in_64_kb_pages_keeping_every_record(
    tmp_path, seed_record
):
    path = tmp_path / "older.db"
    with sqlite3.connect(path) as older:  # as SQLite made every store before
        older.execute("PRAGMA page_size=4096")
        older.execute("PRAGMA journal_mode=WAL")
    sessions = open_store(f"sqlite:///{path}")
    with sessions.begin() as session:
        store.save(session, [store.Written(seed_record, render_all(seed_record))], now=T0)
    before = _renderings(sessions)
    assert _pragma(path, "page_size") == 4096
    compact_all(sessions.kw["bind"])
    assert _pragma(path, "page_size") == 65536
    assert _pragma(path, "journal_mode") == "wal"
    assert _renderings(sessions) == before
    sessions.kw["bind"].dispose()


def test_db_compact_from_the_command_line(database_url, monkeypatch, sessions, seed_record):
    with sessions.begin() as session:
        store.save(session, [store.Written(seed_record, render_all(seed_record))], now=T0)
    before = _renderings(sessions)
    sessions.kw["bind"].dispose()
    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["db", "compact"])
    assert result.exit_code == 0, result.output
    if database_url.startswith("sqlite"):
        assert "store compacted (pages of 65536 bytes)" in result.output
    else:
        assert "store compacted" in result.output
    assert _renderings(sessions) == before


def test_compacting_a_sqlite_store_another_process_has_open_is_refused_saying_so(
    tmp_path, seed_record
):
    path = tmp_path / "busy.db"
    sessions = open_store(f"sqlite:///{path}")
    with sessions.begin() as session:
        store.save(session, [store.Written(seed_record, render_all(seed_record))], now=T0)
    service = sqlite3.connect(path)  # as the service would hold it, between two reads
    service.execute("SELECT count(*) FROM records").fetchone()
    try:
        with pytest.raises(StoreInUse, match="stop the service and the harvests"):
            compact_all(sessions.kw["bind"])
    finally:
        service.close()
    assert _pragma(path, "journal_mode") == "wal"
    assert _renderings(sessions)
    sessions.kw["bind"].dispose()
