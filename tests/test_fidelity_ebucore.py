"""EBUCore written by others (EBU's own examples, MediaInfo, libadm, EBU's ADM renderer),
imported and exported again: the descriptive part comes back whole.

The expectation is read from each document itself: every element of its coreMetadata,
with its attributes and text, stands in the rendering Navette stores for it.  Only the
documents valid against EBUCore 1.10 are held to it (SOURCES.md lists which are).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue.tables import RecordRow, Rendering
from ingest.importing import import_paths
from mappings.ebucore_in import normalise_namespace
from protocol.namespaces import EBUCORE, is_legacy_ebucore
from schemas import validators
from tests.conftest import SHARED, core_facts, requires_schemas

pytestmark = requires_schemas

FOLDERS = [SHARED / "examples" / "ebucore", SHARED / "examples" / "fidelity" / "ebucore"]
DOCUMENTS = sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.glob("*.xml"))
CORE = "{%s}coreMetadata" % EBUCORE


def _valid(path: Path) -> bool:
    root = normalise_namespace(etree.parse(str(path)).getroot())
    return not validators.quick_problems(root, "ebucore")


@pytest.mark.skipif(not DOCUMENTS, reason=f"no EBUCore examples in {FOLDERS}")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_a_valid_document_from_elsewhere_comes_back_whole(path, sqlite_sessions, tmp_path):
    report = import_paths(sqlite_sessions, [path])
    if not _valid(path):
        [rejected] = report.rejected
        assert rejected.reason.startswith("not valid ebucore: "), "refused with the XSD's reason"
        return
    assert report.ok and report.counts["new"] == 1, report.rejected
    with sqlite_sessions() as session:
        stored = session.scalar(
            select(Rendering.xml)
            .join(RecordRow, Rendering.record_id == RecordRow.id)
            .where(Rendering.prefix == "ebucore")
        )
    source = normalise_namespace(etree.parse(str(path)).getroot()).find(CORE)
    exported = etree.fromstring(stored).find(CORE)
    assert core_facts(source) - core_facts(exported) == Counter()


def test_the_2015_namespace_of_ebus_adm_renderer_is_read(sqlite_sessions):
    path = SHARED / "examples" / "fidelity" / "ebucore" / "ear-base.xml"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    namespace = etree.QName(etree.parse(str(path)).getroot()).namespace
    assert namespace == "urn:ebu:metadata-schema:ebuCore_2015" and is_legacy_ebucore(namespace)
    report = import_paths(sqlite_sessions, [path])
    assert report.ok and report.counts["new"] == 1


def test_any_year_of_the_legacy_namespace_is_ebucore():
    assert is_legacy_ebucore("urn:ebu:metadata-schema:ebuCore_2013")
    assert not is_legacy_ebucore("urn:ebu:metadata-schema:ebuCore_20155")
    assert not is_legacy_ebucore("urn:ebu:metadata-schema:ebucore")


#: The root attributes that say which schema a document follows: the rendering says 1.10.
SCHEMA_ATTRIBUTES = {
    "schema",
    "version",
    "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation",
}


def _stored_ebucore(sessions) -> etree._Element:
    with sessions() as session:
        stored = session.scalar(select(Rendering.xml).where(Rendering.prefix == "ebucore"))
    return etree.fromstring(stored)


@pytest.mark.skipif(not DOCUMENTS, reason=f"no EBUCore examples in {FOLDERS}")
@pytest.mark.parametrize("path", [p for p in DOCUMENTS if _valid(p)], ids=lambda p: p.name)
def test_the_attributes_of_a_documents_root_come_back_on_it(path, sqlite_sessions):
    import_paths(sqlite_sessions, [path])
    root = normalise_namespace(etree.parse(str(path)).getroot())
    exported = _stored_ebucore(sqlite_sessions)
    kept = {k: v for k, v in root.attrib.items() if k not in SCHEMA_ATTRIBUTES}
    assert kept.items() <= dict(exported.attrib).items()
    assert exported.get("version") == "1.10"


def test_a_document_that_names_itself_is_imported_under_that_name(sqlite_sessions, tmp_path):
    path = SHARED / "examples" / "fidelity" / "ebucore" / "mediainfo-wav.xml"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    root = etree.parse(str(path)).getroot()
    root.set("documentId", "ARCHIVE-2021-0042")
    copy = tmp_path / "export-from-mam.xml"
    copy.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    report = import_paths(sqlite_sessions, [copy])
    assert report.ok, report.rejected
    with sqlite_sessions() as session:
        assert session.scalars(select(RecordRow.identifier)).all() == ["ARCHIVE-2021-0042"]
    assert _stored_ebucore(sqlite_sessions).get("documentId") == "ARCHIVE-2021-0042"
