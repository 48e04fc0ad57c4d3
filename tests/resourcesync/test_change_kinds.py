"""A Change List says what happened to each record: created when it came into the
catalogue (or came back after its deletion), updated when it changed, deleted; on
both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from catalogue import store
from catalogue.model import Text
from mappings.formats import render_all
from resourcesync import listing

T0, T1, T2, T3 = (datetime(2026, 12, day, 9, 0, 0) for day in (1, 2, 3, 4))


def _save(sessions, record, now: datetime) -> None:
    with sessions.begin() as session:
        store.save(session, [store.Written(record, render_all(record))], now=now)


def _kinds(sessions) -> list[tuple[str, str]]:
    with sessions() as session:
        found = listing.changes(session, "oai_dc", (datetime(2000, 1, 1), 0), None)
        return [(change.identifier, change.change) for change in found]


def test_a_new_record_is_created(sessions, catalogue_record):
    _save(sessions, catalogue_record, T0)
    assert _kinds(sessions) == [(catalogue_record.identifier, "created")]


def test_a_changed_record_is_updated(sessions, catalogue_record):
    _save(sessions, catalogue_record, T0)
    _save(sessions, replace(catalogue_record, titles=[Text("Autre titre", "fr")]), T1)
    assert _kinds(sessions) == [(catalogue_record.identifier, "updated")]


def test_a_deleted_record_is_deleted_and_created_again_when_it_comes_back(
    sessions, catalogue_record
):
    _save(sessions, catalogue_record, T0)
    with sessions.begin() as session:
        store.delete_record(session, catalogue_record.identifier, T1)
    assert _kinds(sessions) == [(catalogue_record.identifier, "deleted")]
    _save(sessions, catalogue_record, T2)
    assert _kinds(sessions) == [(catalogue_record.identifier, "created")]
    _save(sessions, replace(catalogue_record, titles=[Text("Autre titre", "fr")]), T3)
    assert _kinds(sessions) == [(catalogue_record.identifier, "updated")]


def test_changes_are_read_from_a_page_start_up_to_the_next(sessions, catalogue_record):
    for number, moment in enumerate((T0, T1, T2)):
        _save(sessions, replace(catalogue_record, identifier=f"film-{number}"), moment)
    with sessions() as session:
        starts = listing.change_pages(session, "oai_dc", 2)
        first = [c.identifier for c in listing.changes(session, "oai_dc", starts[0], starts[1])]
        last = [c.identifier for c in listing.changes(session, "oai_dc", starts[1], None)]
    assert (first, last) == (["film-0", "film-1"], ["film-2"])
    assert listing.parse_page_key(listing.page_key(*starts[1])) == starts[1]
