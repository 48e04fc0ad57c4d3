"""Reading a page costs time in proportion to its size, however it is crafted.

Each hostile page is served by a partner on loopback and harvested for real.  Before,
1.5 MB of trailing text or 128 kB of unclosed ``<record>`` tags held a worker for
minutes (the time grew with the square of the page); now each harvest ends within a
few seconds, keeps the good records and says what it cut.  The bound below is a
deadline for a hang, not a speed measurement (bench/ measures speed).
"""

from __future__ import annotations

import time

from tests.conftest import requires_schemas
from tests.harvest.helpers import catalogue, live, quarantine, run
from tests.harvest.partner import Reply, films

pytestmark = requires_schemas

#: Far above what a linear reading takes on a loaded machine, far below the old minutes.
DEADLINE = 60.0


def on_lists(partner, rewrite):
    """Every ListRecords page of ``partner`` served rewritten by ``rewrite``."""
    return lambda n, params: (
        Reply(body=rewrite(partner.respond(params).encode()))
        if params.get("verb") == "ListRecords"
        else None
    )


def harvested_within_deadline(sessions, partner):
    started = time.monotonic()
    report = run(sessions, partner)
    assert time.monotonic() - started < DEADLINE
    return report


def test_a_page_followed_by_megabytes_of_root_names_is_read_in_linear_time(sessions, partners):
    partner = partners(films(6))
    partner.faults.append(on_lists(partner, lambda page: page + b"OAI-PMH " * 190_000))
    report = harvested_within_deadline(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6
    assert "bytes of garbage after the root element ignored" in report.message


def test_a_page_of_unclosed_record_tags_keeps_its_good_records(sessions, partners):
    partner = partners(films(6))
    unclosed = b"<record>" * 16_000
    partner.faults.append(
        on_lists(
            partner, lambda page: page.replace(b"<resumptionToken", unclosed + b"<resumptionToken")
        )
    )
    report = harvested_within_deadline(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6
    assert "128000 bytes between records that belong to no record ignored" in (report.message)


def test_unclosed_records_with_headers_are_each_quarantined_and_the_rest_go_in(sessions, partners):
    partner = partners(films(3))
    opened = b"".join(
        b"<record><header><identifier>oai:broken:%d</identifier>"
        b"<datestamp>2024-01-01</datestamp></header><metadata>" % number
        for number in range(1_500)
    )
    partner.faults.append(
        on_lists(partner, lambda page: page.replace(b"</ListRecords>", opened + b"</ListRecords>"))
    )
    report = harvested_within_deadline(sessions, partner)
    assert report.status == "rejects" and len(live(sessions)) == 3
    held = quarantine(sessions)
    assert len(held) == 1_500 and all("not well-formed XML" in q.reason for q in held)
    assert "oai:broken:0" not in catalogue(sessions)
