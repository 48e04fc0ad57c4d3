"""Set specs stored before the gate refused them (migration 0007): taken out of every
answer by the upgrade, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from catalogue.database import downgrade, upgrade
from catalogue.tables import RecordRow, RecordSet, SetRow
from protocol.dates import parse_datestamp
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, T0, harvest, oai_id

#: What an older store took in from native files naming their own sets.
UNSERVABLE = ("a&b", "séries:face-a-l-univers", "x::y")


def _store_as_before_the_gate(catalogue, identifier: str) -> None:
    with catalogue.sessions.begin() as session:
        record_id = session.scalar(select(RecordRow.id).where(RecordRow.identifier == identifier))
        for spec in UNSERVABLE:
            session.add(SetRow(spec=spec, name=spec))
            session.add(RecordSet(record_id=record_id, spec=spec))
        session.execute(
            text("UPDATE records SET set_specs = set_specs || :more WHERE id = :id"),
            {"more": " " + " ".join(UNSERVABLE), "id": record_id},
        )


def _upgrade_from_0006(catalogue) -> None:
    engine = catalogue.sessions.kw["bind"]
    downgrade(engine, "0006")
    upgrade(engine)


def _set_specs(header) -> list[str]:
    return [spec.text for spec in header.iterfind("oai:setSpec", NS)]


@requires_schemas
def test_the_upgrade_takes_unservable_set_specs_out_of_every_answer(client, catalogue):
    catalogue.write("film-1", T0)
    served_before = _set_specs(
        harvest(
            client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id("film-1")
        ).find(".//oai:header", NS)
    )
    _store_as_before_the_gate(catalogue, "film-1")
    _upgrade_from_0006(catalogue)
    # Each answer is checked against OAI-PMH's schema by ``harvest``.
    for arguments in (
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "ebucore"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id("film-1")},
    ):
        header = harvest(client, **arguments).find(".//oai:header", NS)
        assert _set_specs(header) == served_before
    listed = harvest(client, verb="ListSets").iterfind(".//oai:set/oai:setSpec", NS)
    assert not set(UNSERVABLE) & {spec.text for spec in listed}


@requires_schemas
def test_only_a_record_that_lost_a_set_gets_a_new_datestamp(client, catalogue):
    catalogue.write("film-1", T0)
    catalogue.write("film-2", T0 + timedelta(minutes=1))
    _store_as_before_the_gate(catalogue, "film-1")
    _upgrade_from_0006(catalogue)
    headers = {
        header.findtext("oai:identifier", namespaces=NS): header
        for header in harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc").iterfind(
            ".//oai:header", NS
        )
    }
    moved = parse_datestamp(headers[oai_id("film-1")].findtext("oai:datestamp", namespaces=NS))
    kept = parse_datestamp(headers[oai_id("film-2")].findtext("oai:datestamp", namespaces=NS))
    assert moved > T0 + timedelta(minutes=1)
    assert kept == T0 + timedelta(minutes=1)
