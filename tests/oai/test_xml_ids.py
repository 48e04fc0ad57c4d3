"""A list answer is one XML document: an ID value two records declare is never in it twice.

EBUCore's audio definition model names its objects with ``xs:ID`` attributes
(``audioObjectID="AO_1001"``); EBU's own libadm writes the same IDs in every
document, so two such records side by side would make an answer invalid.
"""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue import store
from catalogue.database import downgrade, upgrade
from catalogue.tables import Rendering
from ingest import prepare
from mappings.ebucore_in import from_ebucore
from protocol.xml_ids import declared_ids, fitting
from tests.conftest import SHARED, requires_schemas
from tests.oai.helpers import NS, harvest

LIBADM = (
    SHARED / "examples" / "fidelity" / "ebucore" / "libadm-write_complementary_audio_objects.xml"
)


def adm(*ids: str) -> bytes:
    objects = "".join(f'<audioObject audioObjectID="{i}"/>' for i in ids)
    return f"<audioFormatExtended>{objects}</audioFormatExtended>".encode()


def test_the_ids_an_ebucore_rendering_declares_are_read_with_whitespace_collapsed():
    xml = b'<audioFormatExtended audioFormatExtendedID=" AFE_1 "><b UID="ATU_00000001"/>'
    xml += b'<c formatId="x"/></audioFormatExtended>'
    assert declared_ids("ebucore", xml) == {b"AFE_1", b"ATU_00000001"}


def test_the_ids_a_marc_rendering_declares_are_its_id_attributes():
    xml = b'<record><datafield id="f245" tag="245"/><controlfield tag="001"/></record>'
    assert declared_ids("marcxml", xml) == {b"f245"}


def test_a_rendering_without_ids_declares_none():
    assert declared_ids("ebucore", b"<familyName>DAVID</familyName>") == set()
    assert declared_ids("oai_dc", b'<dc><title ID="x">IDs</title></dc>') == set()
    assert declared_ids("ebucore", None) == set()


def test_renderings_fit_one_answer_until_an_id_would_repeat():
    first, other = adm("AO_1001"), adm("AO_1002")
    assert fitting("ebucore", [first, None, other, b"<plain/>", first, other]) == 4


def test_the_first_rendering_always_fits():
    assert fitting("ebucore", [adm("AO_1001", "AO_1002")]) == 1
    assert fitting("ebucore", []) == 0


@requires_schemas
def test_records_declaring_the_same_ids_are_listed_in_separate_answers(catalogue, app_factory):
    if not LIBADM.is_file():
        pytest.skip(f"{LIBADM} is absent (see ../shared/examples/fidelity/SOURCES.md)")
    document = etree.parse(str(LIBADM)).getroot()
    written = [prepare.prepare(from_ebucore(document, f"adm-{n}")) for n in range(3)]
    shared = [declared_ids("ebucore", w.renderings["ebucore"].encode()) for w in written]
    assert shared[0] and shared[0] == shared[1] == shared[2]
    with catalogue.sessions.begin() as session:
        store.save(session, written)
    client = app_factory(page_size=10).test_client()
    answer = harvest(client, verb="ListRecords", metadataPrefix="ebucore")
    listed = answer.findall(".//oai:record", NS)
    pages = 1
    while token := answer.findtext(".//oai:resumptionToken", namespaces=NS):
        answer = harvest(client, verb="ListRecords", resumptionToken=token)
        listed += answer.findall(".//oai:record", NS)
        pages += 1
    assert pages == 3
    assert [r.findtext(".//oai:identifier", namespaces=NS) for r in listed] == [
        f"oai:videotheque.example.org:adm-{n}" for n in range(3)
    ]


@requires_schemas
def test_renderings_stored_before_the_flag_are_flagged_by_the_upgrade(catalogue):
    if not LIBADM.is_file():
        pytest.skip(f"{LIBADM} is absent (see ../shared/examples/fidelity/SOURCES.md)")
    document = etree.parse(str(LIBADM)).getroot()
    with catalogue.sessions.begin() as session:
        store.save(session, [prepare.prepare(from_ebucore(document, "adm"))])
    engine = catalogue.sessions.kw["bind"]
    downgrade(engine, "0004")
    upgrade(engine)
    with catalogue.sessions() as session:
        flagged = dict(session.execute(select(Rendering.prefix, Rendering.declares_ids)).all())
    assert flagged["ebucore"] is True
    assert not any(flag for prefix, flag in flagged.items() if prefix != "ebucore")
