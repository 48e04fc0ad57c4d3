"""A harvested record whose link is not a web address is quarantined, not stored."""

from __future__ import annotations

import dataclasses

from lxml import etree

from catalogue.tables import QuarantinedRecord
from mappings.ebucore_out import to_ebucore
from tests.conftest import requires_schemas
from tests.harvest.helpers import live, run
from tests.harvest.partner import PartnerRecord

pytestmark = requires_schemas

SCRIPT = "javascript:alert(document.domain)"


def test_a_harvested_record_with_a_script_link_is_quarantined(sessions, partners, seed_record):
    record = dataclasses.replace(seed_record, landing_page=SCRIPT)
    ebucore = etree.tostring(to_ebucore(record), encoding="unicode")
    partner = partners(
        [
            PartnerRecord("oai:p:bad", "2024-05-01T00:00:00Z", metadata=ebucore),
            PartnerRecord("oai:p:good", "2024-05-01T00:00:00Z"),
        ],
    )
    report = run(sessions, partner)
    assert report.status == "rejects" and len(live(sessions)) == 1
    with sessions() as session:
        [held] = session.query(QuarantinedRecord).all()
    assert held.identifier == "oai:p:bad" and "is not an http(s) URL" in held.reason
