"""A partner offering MODS or EDM beside oai_dc is harvested in the richer format, each
record read with the type it states and served in that format as it came (issue 30)."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue.tables import RecordContent, RecordRow, Rendering
from tests.conftest import SHARED, requires_schemas
from tests.harvest.helpers import run
from tests.harvest.partner import PartnerRecord

PARTNERS = SHARED / "examples" / "partners"
EDM_FILM = SHARED / "examples" / "edm" / "metis-lodz-filmschool-video.xml"
MODS_AUDIO = PARTNERS / "mods" / "stanford-ys174nw6600-kant-audio.xml"

pytestmark = [
    requires_schemas,
    pytest.mark.skipif(
        not (EDM_FILM.exists() and MODS_AUDIO.exists()),
        reason=f"the partner documents are absent ({PARTNERS}, {EDM_FILM.parent})",
    ),
]


def _payload(path) -> str:
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", path.read_text(encoding="utf-8"))


def _stored(sessions, prefix: str) -> tuple[dict, str]:
    with sessions() as session:
        data, xml = session.execute(
            select(RecordContent.data, Rendering.xml)
            .join(RecordRow, RecordRow.id == RecordContent.record_id)
            .join(Rendering, Rendering.record_id == RecordRow.id)
            .where(Rendering.prefix == prefix)
        ).one()
    return data, xml


def _shape(element: etree._Element) -> tuple:
    return (
        element.tag,
        tuple(sorted((k, v) for k, v in element.attrib.items() if "schemaLocation" not in k)),
        (element.text or "").strip(),
        tuple(_shape(child) for child in element.iterchildren(etree.Element)),
    )


def test_a_partner_offering_edm_is_harvested_in_edm_and_served_as_it_came(sessions, partners):
    record = PartnerRecord("oai:lodz:1", "2024-05-01T00:00:00Z", metadata=_payload(EDM_FILM))
    partner = partners([record], formats=("oai_dc", "edm"))
    report = run(sessions, partner)
    assert report.status == "success", report.message
    assert all(params.get("metadataPrefix") in (None, "edm") for params in partner.requests)
    data, xml = _stored(sessions, "edm")
    assert data["resource_type"] == "MovingImage" and data["titles"][0]["value"] == "Place To live"
    assert _shape(etree.fromstring(xml.encode())) == _shape(etree.parse(str(EDM_FILM)).getroot())


def test_a_partner_offering_mods_is_harvested_in_mods_and_served_whole(sessions, partners):
    record = PartnerRecord("oai:sul:1", "2024-05-01T00:00:00Z", metadata=_payload(MODS_AUDIO))
    partner = partners([record], formats=("oai_dc", "mods"))
    report = run(sessions, partner)
    assert report.status == "success", report.message
    data, xml = _stored(sessions, "mods")
    assert data["resource_type"] == "Sound"
    source = etree.parse(str(MODS_AUDIO)).getroot()
    served = [_shape(e) for e in etree.fromstring(xml.encode()).iterchildren(etree.Element)]
    assert all(_shape(e) in served for e in source.iterchildren(etree.Element))
