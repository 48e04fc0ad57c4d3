"""An admin edits, pauses, resumes, removes a source and asks for a harvest now, from
the command line (the admin pages share ``harvester.controls``: tests/admin)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalogue.tables import HarvestRun, RecordRow, SourceRow
from harvester import controls, schedule
from protocol.dates import utc_now
from tests.conftest import requires_schemas
from tests.harvest.helpers import fetcher, live
from tests.harvest.partner import films

pytestmark = requires_schemas


def row(sessions, name: str = "p1") -> SourceRow:
    with sessions() as session:
        return session.get(SourceRow, name)


def test_an_edit_says_what_changed_and_a_new_endpoint_is_read_whole(cli, sessions, partners):
    first, second = partners(films(2)), partners(films(3))
    cli("sources", "add", "p1", first.url)
    assert cli("harvest", "p1").exit_code == 0
    result = cli("sources", "edit", "p1", "--url", second.url, "--schedule", "0 4 * * *",
                 "--delete-threshold", "0.5")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"URL {first.url} -> {second.url}" in result.output
    assert "the next harvest reads the whole list again" in result.output
    assert "schedule none -> 0 4 * * *" in result.output and "20% -> 50%" in result.output
    edited = row(sessions)
    assert (edited.base_url, edited.harvested_until, edited.next_run is not None) == (
        second.url,
        None,
        True,
    )


def test_an_edit_that_changes_nothing_says_so(cli, partners):
    partner = partners(films(1))
    cli("sources", "add", "p1", partner.url, "--no-check")
    result = cli("sources", "edit", "p1", "--url", partner.url)
    assert result.exit_code == 0 and "nothing changed" in result.output


def test_an_edit_is_refused_with_the_reason(cli, partners):
    partner = partners(films(1))
    cli("sources", "add", "p1", partner.url, "--no-check")
    bad = cli("sources", "edit", "p1", "--schedule", "at dawn")
    assert bad.exit_code == 2 and "is not a cron expression" in bad.output
    missing = cli("sources", "edit", "nope", "--schedule", "0 3 * * *")
    assert missing.exit_code == 2 and "there is no source named 'nope'" in missing.output


def test_a_paused_source_is_left_alone_by_the_worker_until_resumed(cli, sessions, partners):
    partner = partners(films(2))
    cli("sources", "add", "p1", partner.url, "--schedule", "* * * * *")
    assert "p1 paused" in cli("sources", "pause", "p1").output
    probed = len(partner.requests)  # adding the source asked the partner what it serves
    assert schedule.work(sessions, once=True, fetcher=fetcher) == 0
    assert len(partner.requests) == probed
    assert "p1 resumed" in cli("sources", "resume", "p1").output
    with sessions.begin() as session:
        session.get(SourceRow, "p1").next_run = utc_now()
    assert schedule.work(sessions, once=True, fetcher=fetcher) == 1
    assert len(live(sessions)) == 2


def test_a_harvest_asked_for_is_run_by_the_next_worker_once(sessions, partners, cli):
    partner = partners(films(3))
    cli("sources", "add", "p1", partner.url)
    with sessions.begin() as session:
        said = controls.request_harvest(session, "p1", "admin", utc_now())
    assert "harvest of p1 queued" in said
    assert row(sessions).requested_by == "admin"
    assert schedule.work(sessions, once=True, fetcher=fetcher) == 1
    assert len(live(sessions)) == 3 and row(sessions).requested_at is None
    assert schedule.work(sessions, once=True, fetcher=fetcher) == 0


def test_a_paused_source_cannot_be_asked_for(sessions, partners, cli):
    cli("sources", "add", "p1", partners(films(1)).url, "--no-check")
    cli("sources", "pause", "p1")
    with sessions.begin() as session, pytest.raises(controls.SourceError, match="is paused"):
        controls.request_harvest(session, "p1", "admin", utc_now())


def test_removing_a_source_with_records_asks_what_becomes_of_them(cli, sessions, partners):
    cli("sources", "add", "p1", partners(films(3)).url)
    cli("harvest", "p1")
    refused = cli("sources", "remove", "p1")
    assert refused.exit_code == 2 and "holds 3 live records" in refused.output
    assert row(sessions) is not None


def test_a_source_removed_with_its_records_leaves_deletions_for_harvesters(cli, sessions, partners):
    cli("sources", "add", "p1", partners(films(3)).url)
    cli("harvest", "p1")
    result = cli("sources", "remove", "p1", "--delete-records")
    assert result.exit_code == 0 and "its 3 records deleted" in result.output
    with sessions() as session:
        assert session.scalars(select(RecordRow.deleted)).all() == [True, True, True]
        assert session.scalars(select(HarvestRun)).all() == []
    assert row(sessions) is None


def test_a_source_removed_keeping_its_records_leaves_them_served(cli, sessions, partners):
    cli("sources", "add", "p1", partners(films(3)).url)
    cli("harvest", "p1")
    result = cli("sources", "remove", "p1", "--keep-records")
    assert result.exit_code == 0 and "its 3 records kept as they are" in result.output
    assert len(live(sessions)) == 3 and row(sessions) is None
