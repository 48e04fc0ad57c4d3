"""Reconciling partners that do not keep deletions, and holding mass deletions for an admin."""

from __future__ import annotations

from datetime import datetime

from harvester.deletions import approve, reject
from tests.conftest import requires_schemas
from tests.harvest.helpers import add, catalogue, live, run
from tests.harvest.partner import films

pytestmark = requires_schemas


def test_reconcile_deletes_what_the_partner_no_longer_lists(sessions, partners):
    partner = partners(films(10), deleted_record="no")
    run(sessions, partner)
    gone = partner.records.pop(4)
    report = run(sessions, partner, reconcile=True)
    assert report.counts["deleted"] == 1
    assert catalogue(sessions)[f"partner:{gone.identifier}"] is True
    assert len(live(sessions)) == 9


def test_without_reconcile_a_vanished_record_stays(sessions, partners):
    partner = partners(films(10), deleted_record="transient")
    run(sessions, partner)
    partner.records.pop(4)
    run(sessions, partner)
    assert len(live(sessions)) == 10


def test_a_reconcile_that_would_delete_too_much_is_held(sessions, partners):
    partner = partners(films(10), deleted_record="no")
    run(sessions, partner)
    del partner.records[:5]
    report = run(sessions, partner, reconcile=True)
    assert report.counts["held"] == 5 and report.counts.get("deleted", 0) == 0
    assert len(live(sessions)) == 10
    from harvester import state

    with sessions() as session:
        (held,) = state.held_deletions(session)
        assert "20%" in held.reason
        held_id = held.id
    assert approve(sessions, held_id, datetime(2024, 6, 5)) == 5
    assert len(live(sessions)) == 5


def test_held_deletions_can_be_rejected(sessions, partners):
    partner = partners(films(10), deleted_record="no")
    run(sessions, partner)
    del partner.records[:5]
    run(sessions, partner, reconcile=True)
    from harvester import state

    with sessions() as session:
        held_id = state.held_deletions(session)[0].id
    reject(sessions, held_id)
    assert len(live(sessions)) == 10
    with sessions() as session:
        assert state.held_deletions(session) == []


def test_deleted_headers_beyond_the_threshold_are_held(sessions, partners):
    partner = partners(films(10))
    run(sessions, partner)
    for record in partner.records[:3]:
        record.deleted = True
        record.datestamp = "2024-06-02T00:00:00Z"
    partner.response_date = "2024-06-02T10:00:00Z"
    report = run(sessions, partner)
    assert report.counts["held"] == 3 and report.counts.get("deleted", 0) == 0
    assert len(live(sessions)) == 10


def test_the_threshold_is_configurable_per_source(sessions, partners):
    partner = partners(films(10), deleted_record="no")
    add(sessions, partner, "lenient", delete_threshold=0.9)
    run(sessions, partner, name="lenient")
    del partner.records[:5]
    report = run(sessions, partner, name="lenient", reconcile=True)
    assert report.counts["deleted"] == 5
