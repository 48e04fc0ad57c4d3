"""A harvest's claim on a source: renewed while it works, gone soon after its holder is."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import timedelta

from click.testing import CliRunner

from catalogue.tables import HarvestRun
from harvester import lease
from navette.cli import main
from tests.conftest import requires_schemas
from tests.harvest.helpers import NOW, add, source
from tests.harvest.partner import films

pytestmark = requires_schemas


def dead_process_owner() -> str:
    """The claim a process of this machine would leave behind had it been killed."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:deadbeef"


def claim_for(sessions, owner: str, when=NOW) -> bool:
    with sessions.begin() as session:
        return lease.claim(session, "partner", owner, when)


def test_a_claim_lapses_a_minute_after_its_last_renewal(sessions, partners):
    add(sessions, partners(films(1)))
    assert claim_for(sessions, "elsewhere.example.org:4242:abc")
    assert not claim_for(sessions, "here:1:a", NOW + timedelta(seconds=59))
    assert claim_for(sessions, "here:1:a", NOW + timedelta(seconds=61))


def test_a_claim_whose_process_on_this_machine_is_gone_is_taken_at_once(sessions, partners):
    add(sessions, partners(films(1)))
    assert claim_for(sessions, dead_process_owner())
    assert claim_for(sessions, lease.owner_name())


def test_a_claim_whose_process_is_alive_is_respected(sessions, partners):
    add(sessions, partners(films(1)))
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as alive:
        try:
            assert claim_for(sessions, f"{socket.gethostname()}:{alive.pid}:cafe")
            assert not claim_for(sessions, lease.owner_name())
        finally:
            alive.kill()


def test_a_claim_on_another_machine_is_not_judged_by_our_processes(sessions, partners):
    add(sessions, partners(films(1)))
    assert claim_for(sessions, "another-host.example.org:1:abc")
    assert not claim_for(sessions, lease.owner_name())


def test_the_heartbeat_renews_the_claim_between_pages(sessions, partners):
    add(sessions, partners(films(1)))
    owner = lease.owner_name()
    assert claim_for(sessions, owner)
    now = {"t": NOW}
    beat = lease.Heartbeat(sessions, "partner", owner, lambda: now["t"], every=0.02)
    beat.start()
    try:
        now["t"] = NOW + timedelta(minutes=5)
        deadline = time.monotonic() + 5
        while source(sessions).lease_until != NOW + timedelta(minutes=5) + lease.LEASE:
            assert time.monotonic() < deadline, "the claim was not renewed"
            time.sleep(0.02)
    finally:
        beat.stop()
    assert not beat.lost


def test_the_heartbeat_notices_a_claim_taken_by_another(sessions, partners):
    add(sessions, partners(films(1)))
    with sessions.begin() as session:
        lease.claim(session, "partner", "another-host:1:x", NOW)
    beat = lease.Heartbeat(sessions, "partner", "me:1:y", lambda: NOW, every=0.02)
    beat.start()
    deadline = time.monotonic() + 5
    while not beat.lost:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    beat.stop()


def test_sources_unlock_releases_a_stale_claim_and_closes_its_run(
    sessions, partners, database_url, monkeypatch
):
    add(sessions, partners(films(1)))
    with sessions.begin() as session:
        lease.claim(session, "partner", "another-host:1:x", NOW)
        session.add(HarvestRun(source="partner", started=NOW, status="running", counts={}))
        lease.get_source(session, "partner").status = "running"
    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["sources", "unlock", "partner"])
    assert result.exit_code == 0
    assert "released (it was claimed by another-host:1:x)" in result.output
    row = source(sessions)
    assert row.lease_owner is None and row.status == "idle" and "unlocked" in row.message
    with sessions() as session:
        run = session.query(HarvestRun).one()
    assert run.status == "failed" and "released by hand" in run.message
    assert CliRunner().invoke(main, ["sources", "unlock", "nope"]).exit_code == 2
