"""The store of record, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import datetime

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import joinedload

from catalogue import codec, store
from catalogue.database import MIGRATIONS, current_revision, downgrade, make_engine, upgrade
from catalogue.model import Text
from catalogue.sets import record_sets
from catalogue.tables import RecordContent, RecordRow, RecordSet, Rendering, SetRow
from ingest.prepare import prepare
from mappings.formats import render_all

T0 = datetime(2026, 1, 5, 10, 0, 0)
T1 = datetime(2026, 1, 6, 10, 0, 0)
T2 = datetime(2026, 1, 7, 10, 0, 0)
#: The newest migration in ``catalogue/migrations``.
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _write(sessions, record, now):
    with sessions.begin() as session:
        return store.save(session, [store.Written(record, render_all(record))], now=now)


def _data(sessions, identifier) -> dict:
    """A record's JSON, read column by column (an older schema lacks later columns)."""
    with sessions() as session:
        return session.scalar(
            select(RecordContent.data)
            .join(RecordRow, RecordRow.id == RecordContent.record_id)
            .where(RecordRow.identifier == identifier)
        )


def _row(sessions, identifier):
    with sessions() as session:
        return session.scalar(
            select(RecordRow)
            .options(joinedload(RecordRow.contents))
            .where(RecordRow.identifier == identifier)
        )


def test_a_new_database_is_created_at_the_latest_revision(sessions):
    assert current_revision(sessions.kw["bind"]) == HEAD


def test_a_new_record_is_stored_with_its_renderings_and_sets(sessions, seed_record):
    assert _write(sessions, seed_record, T0) == {"new": 1}
    with sessions() as session:
        row = session.scalar(select(RecordRow))
        prefixes = session.scalars(select(Rendering.prefix).order_by(Rendering.prefix)).all()
        specs = session.scalars(select(RecordSet.spec).order_by(RecordSet.spec)).all()
    assert row.identifier == "cnrs-6764"
    assert row.datestamp == T0
    assert prefixes == ["ebucore", "marcxml", "mods", "oai_dc"]  # no rights: no EDM
    assert "series:facing-the-universe-a-dive-into-space-research" in specs
    assert "series" in specs


def test_the_stored_record_reads_back_whole(sessions, seed_record):
    from catalogue import codec

    _write(sessions, seed_record, T0)
    assert codec.from_dict(_row(sessions, "cnrs-6764").contents.data) == seed_record


def test_re_importing_the_same_record_keeps_its_datestamp(sessions, seed_record):
    _write(sessions, seed_record, T0)
    assert _write(sessions, seed_record, T1) == {"unchanged": 1}
    assert _row(sessions, "cnrs-6764").datestamp == T0


def test_a_changed_record_gets_a_new_datestamp(sessions, seed_record):
    _write(sessions, seed_record, T0)
    changed = dataclasses.replace(seed_record, subjects=[Text("Planetology", "en")])
    assert _write(sessions, changed, T1) == {"updated": 1}
    row = _row(sessions, "cnrs-6764")
    assert row.datestamp == T1
    with sessions() as session:
        specs = session.scalars(select(RecordSet.spec).where(RecordSet.record_id == row.id)).all()
    assert "subject:planetology" in specs
    assert "subject:space-sciences" not in specs


def test_deleting_keeps_a_tombstone_with_the_deletion_time(sessions, seed_record):
    _write(sessions, seed_record, T0)
    with sessions.begin() as session:
        assert store.delete_record(session, "cnrs-6764", now=T1)
    row = _row(sessions, "cnrs-6764")
    assert (row.deleted, row.deleted_at, row.datestamp) == (True, T1, T1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Rendering)) == 0


def test_deleting_twice_or_an_unknown_record_changes_nothing(sessions, seed_record):
    _write(sessions, seed_record, T0)
    with sessions.begin() as session:
        assert store.delete_record(session, "cnrs-6764", now=T1)
        assert not store.delete_record(session, "cnrs-6764", now=T2)
        assert not store.delete_record(session, "nowhere", now=T2)
    assert _row(sessions, "cnrs-6764").datestamp == T1


def test_a_deleted_record_that_comes_back_is_restored(sessions, seed_record):
    _write(sessions, seed_record, T0)
    with sessions.begin() as session:
        store.delete_record(session, "cnrs-6764", now=T1)
    assert _write(sessions, seed_record, T2) == {"updated": 1}
    row = _row(sessions, "cnrs-6764")
    assert (row.deleted, row.deleted_at, row.datestamp) == (False, None, T2)


def test_many_records_are_written_in_batches(sessions, seed_record):
    records = [
        dataclasses.replace(seed_record, identifier=f"cnrs-{n}") for n in range(store.BATCH + 20)
    ]
    with sessions.begin() as session:
        counts = store.save(session, (store.Written(r, render_all(r)) for r in records), now=T0)
    assert counts == {"new": store.BATCH + 20}
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Rendering)) == 4 * len(records)
        assert session.scalar(select(func.count()).select_from(SetRow)) == 6


def test_the_same_identifier_twice_in_one_batch_keeps_the_last(sessions, seed_record):
    second = dataclasses.replace(seed_record, subjects=[Text("Planetology", "en")])
    with sessions.begin() as session:
        counts = store.save(
            session,
            [store.Written(r, render_all(r)) for r in (seed_record, second)],
            now=T0,
        )
    assert counts == {"new": 1, "updated": 1}
    with sessions() as session:
        xml = session.scalar(select(Rendering.xml).where(Rendering.prefix == "oai_dc"))
    assert "Planetology" in xml


def test_migrations_apply_again_without_change(database_url):

    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_the_upgrade_moves_each_records_json_beside_it_and_keeps_all_it_points_to(
    sessions, seed_record
):
    """Migration 0008 on a store written before it: same ids, same data, same renderings."""
    _write(sessions, seed_record, T0)
    engine = sessions.kw["bind"]
    with sessions() as session:
        pairs = select(Rendering.record_id, Rendering.prefix).order_by(Rendering.prefix)
        before = session.execute(pairs).all()
    downgrade(engine, "0007")
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("records")}
    assert {"data", "search_text"} <= columns
    upgrade(engine)
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("records")}
    assert not {"data", "search_text"} & columns
    row = _row(sessions, seed_record.identifier)
    assert codec.from_dict(row.contents.data) == seed_record
    assert "express mission" in row.contents.search_text
    with sessions() as session:
        assert session.execute(pairs).all() == before


def test_the_upgrade_to_resource_types_keeps_films_films_and_states_no_other_type(
    sessions, seed_record
):
    """Migration 0010: no ``audiovisual`` was a film, ``audiovisual: false`` no known type."""
    untyped = replace(seed_record, identifier="untyped", resource_type=None)
    _write(sessions, seed_record, T0)
    _write(sessions, untyped, T0)
    engine = sessions.kw["bind"]
    downgrade(engine, "0009")
    assert "resource_type" not in _data(sessions, seed_record.identifier)
    assert _data(sessions, "untyped")["audiovisual"] is False
    upgrade(engine)
    assert codec.from_dict(_data(sessions, seed_record.identifier)) == seed_record
    data = _data(sessions, "untyped")
    assert "audiovisual" not in data and "resource_type" not in data


def test_db_upgrade_from_the_command_line(database_url, monkeypatch):
    from click.testing import CliRunner

    from navette.cli import main

    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"database at revision {HEAD}" in result.output


def test_a_record_sent_between_processes_as_json_text_is_stored_as_the_same_record(
    sessions, seed_record
):
    travelling = prepare(seed_record, check=False).travelling()
    assert travelling.record is None and isinstance(travelling.data, str)
    with sessions.begin() as session:
        assert store.save(session, [travelling], now=T0) == {"new": 1}
    row = _row(sessions, seed_record.identifier)
    assert row.contents.data == codec.to_dict(seed_record)
    assert row.set_specs == " ".join(sorted(record_sets(seed_record)))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_on_postgresql_packed_renderings_are_kept_inline_and_not_compressed_again(
    sessions, seed_record
):
    _write(sessions, seed_record, T0)
    with sessions() as session:
        methods = dict(
            session.execute(
                select(Rendering.prefix, func.pg_column_compression(Rendering.xml))
            ).all()
        )
    assert set(methods) >= {"oai_dc", "ebucore"} and set(methods.values()) == {None}


def test_a_stored_json_holding_an_integer_past_64_bits_reads_back(sessions, seed_record):
    _write(sessions, seed_record, T0)
    huge = 2**70
    with sessions.begin() as session:
        row = session.scalars(select(RecordContent)).one()
        row.data = {**row.data, "partner_number": huge}
    assert _data(sessions, seed_record.identifier)["partner_number"] == huge
