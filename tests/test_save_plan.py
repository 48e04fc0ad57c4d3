"""What a batch does to the store, decided without a database (catalogue.save_plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from catalogue.model import Record, Text
from catalogue.save_plan import UnservableSet, content_hash, plan
from catalogue.store import Written

NOW = datetime(2026, 12, 1, 8, 0, 0)


@dataclass
class Row:
    id: int
    deleted: bool
    content_hash: str
    fingerprint: str | None = None
    about: str | None = None
    source: str | None = None


def written(identifier: str = "film-1", title: str = "Mars Express", fingerprint=None) -> Written:
    record = Record(identifier=identifier, titles=[Text(title, "en")])
    return Written(record, {"oai_dc": f"<dc>{title}</dc>"}, fingerprint=fingerprint, sets={})


def stored_as(item: Written, **changes) -> Row:
    values = {"id": 7, "deleted": False, "content_hash": content_hash(item.renderings, [])}
    return Row(**(values | changes))


def test_a_record_the_store_does_not_hold_is_inserted_with_the_batch_time():
    decided = plan([written()], {}, set(), NOW, "partner")
    assert list(decided.inserts) == ["film-1"]
    assert decided.inserts["film-1"]["datestamp"] == NOW
    assert decided.inserts["film-1"]["source"] == "partner"
    assert decided.counts == {"new": 1}


def test_the_same_content_is_unchanged_and_nothing_is_written():
    item = written(fingerprint="f1")
    decided = plan([item], {"film-1": stored_as(item, fingerprint="f1")}, set(), NOW, None)
    assert (decided.inserts, decided.updates, decided.refreshed) == ({}, {}, {})
    assert decided.counts == {"unchanged": 1}


def test_the_same_content_under_a_new_fingerprint_is_refreshed_not_updated():
    item = written(fingerprint="f2")
    decided = plan([item], {"film-1": stored_as(item, fingerprint="f1")}, set(), NOW, None)
    assert decided.updates == {}
    assert decided.refreshed["film-1"]["fingerprint"] == "f2"
    assert "datestamp" not in decided.refreshed["film-1"], "the datestamp does not move"


def test_changed_content_updates_the_row_and_moves_its_datestamp():
    item = written(title="Mars Express Mission")
    decided = plan([item], {"film-1": stored_as(written())}, set(), NOW, None)
    assert decided.updates["film-1"]["row_id"] == 7
    assert decided.updates["film-1"]["datestamp"] == NOW
    assert decided.counts == {"updated": 1}


def test_a_deleted_record_written_again_comes_back():
    item = written()
    decided = plan([item], {"film-1": stored_as(item, deleted=True)}, set(), NOW, None)
    assert decided.updates["film-1"]["deleted"] is False


def test_an_update_keeps_the_stored_source_when_none_is_given():
    decided = plan([written(title="New")], {"film-1": stored_as(written(), source="p")}, set(),
                   NOW, None)  # fmt: skip
    assert decided.updates["film-1"]["source"] == "p"


def test_the_same_record_twice_in_a_batch_keeps_the_last():
    decided = plan([written(title="First"), written(title="Last")], {}, set(), NOW, None)
    assert decided.record_contents["film-1"]["data"]["titles"][0]["value"] == "Last"
    assert decided.counts == {"new": 1, "updated": 1}


def test_a_set_not_yet_known_is_created_once_however_many_records_name_it():
    first, second = written("a"), written("b")
    first.sets = second.sets = {"source:partner": "Partner"}
    decided = plan([first, second], {}, set(), NOW, None)
    assert [s["spec"] for s in decided.new_sets] == ["source:partner"]
    assert plan([first], {}, {"source:partner"}, NOW, None).new_sets == []


def test_a_set_oai_pmh_cannot_carry_is_refused_whoever_writes_it():
    """The gate (``ingest.prepare``) refuses such a record; the store refuses it from a
    writer that went round the gate, so no header or ListSets page can hold it."""
    item = written("a")
    item.sets = {"archive:ina": "INA", "a&b": "A and B"}
    with pytest.raises(UnservableSet, match=r"a: its set 'a&b' is not an OAI-PMH setSpec"):
        plan([item], {}, {"archive:ina"}, NOW, None)
