"""Pages mapped by worker processes give the catalogue an in-process harvest gives.

A page is stored while the next one is being mapped, so the fingerprints the next
page was mapped against may predate what the current page stored: a record both
pages hold must still end as the partner's last word on it.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from select import PIPE_BUF

from sqlalchemy import select

from catalogue.database import open_store
from catalogue.tables import QuarantinedRecord, RecordContent, RecordRow
from harvester.pages import RawRecord, parse_page
from harvester.parallel import POOL_THRESHOLD, Job, Mapper, _map_chunk
from protocol.namespaces import OAI
from schemas import registry
from tests.conftest import ROOT, requires_schemas
from tests.harvest.helpers import add, catalogue, live, process_tree, run, source, titles
from tests.harvest.partner import PartnerRecord, dc_metadata, films

pytestmark = requires_schemas

PAGE = POOL_THRESHOLD + 10


def _stored(sessions) -> dict[str, tuple]:
    with sessions() as session:
        rows = session.execute(
            select(
                RecordRow.identifier,
                RecordRow.deleted,
                RecordRow.datestamp,
                RecordRow.content_hash,
                RecordContent.data,
            ).join(RecordRow.contents)
        )
        return {row.identifier: tuple(row[1:]) for row in rows}


def _quarantined(sessions) -> list[tuple[str | None, str]]:
    with sessions() as session:
        rows = session.execute(select(QuarantinedRecord.identifier, QuarantinedRecord.reason))
        return sorted(tuple(row) for row in rows)


def _feed() -> list[PartnerRecord]:
    records = films(3 * PAGE)
    records[7].raw = "<record><header><identifier>oai:partner.example.org:007</identifier>"
    records[7].raw += "<datestamp>2024-05-01T07:00:00Z</datestamp></header></record>"
    records[PAGE + 1].deleted = True
    records[2 * PAGE + 3].metadata = dc_metadata("x").replace(">x<", ">Broken &#1; title<")
    return records


def test_worker_processes_store_what_an_in_process_harvest_stores(sessions, partners, tmp_path):
    partner = partners(_feed(), page_size=PAGE)
    report = run(sessions, partner, workers=2)
    alone = open_store(f"sqlite:///{tmp_path / 'in-process.db'}")
    reference = run(alone, partner, workers=1)
    assert report.counts == reference.counts
    assert report.counts["rejected"] == 2
    assert _stored(sessions) == _stored(alone)
    assert _quarantined(sessions) == _quarantined(alone)


def _second_harvest(partner, *changed: PartnerRecord) -> None:
    """The partner changes its first page's records, then ``changed`` (the next page)."""
    partner.response_date = "2024-06-02T10:00:00Z"
    for record in partner.records[:PAGE]:
        record.datestamp = "2024-06-01T11:00:00Z"
    partner.records += changed


def test_a_record_on_two_pages_ends_as_its_last_version(sessions, partners):
    partner = partners(films(2 * PAGE), page_size=PAGE)
    run(sessions, partner, workers=2)
    first = partner.records[0]
    original = first.title
    first.title = "Changed title"
    _second_harvest(partner, PartnerRecord(first.identifier, "2024-06-01T11:00:01Z", original))
    report = run(sessions, partner, workers=2)
    assert report.counts["pages"] == 2
    assert titles(sessions)[f"partner:{first.identifier}"] == original


def test_a_record_deleted_on_one_page_and_back_newer_on_the_next_is_never_deleted(
    sessions, partners
):
    partner = partners(films(2 * PAGE), page_size=PAGE)
    run(sessions, partner, workers=2)
    first = partner.records[0]
    first.deleted = True
    _second_harvest(partner, PartnerRecord(first.identifier, "2024-06-01T11:00:01Z", first.title))
    report = run(sessions, partner, workers=2)
    assert report.counts.get("deleted", 0) == 0
    assert catalogue(sessions)[f"partner:{first.identifier}"] is False


def test_python_m_navette_harvest_maps_on_worker_processes(database_url, partners):
    partner = partners(films(2 * PAGE), page_size=PAGE)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NAVETTE_DATABASE_URL": database_url}

    def navette(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "navette", *args]
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)

    assert navette("sources", "add", "p1", partner.url).returncode == 0
    harvest = navette("harvest", "p1")
    assert harvest.returncode == 0, harvest.stderr
    assert f"p1: success: {2 * PAGE} new" in harvest.stdout + harvest.stderr


def _mapping_workers() -> list[int]:
    """This process's mapping workers: the children of its forkserver."""
    tree = process_tree(os.getpid())
    servers = {pid for pid in tree if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()}
    return [pid for pid, parent in tree.items() if parent in servers]


def test_a_mapping_worker_that_dies_fails_the_harvest_which_then_resumes(sessions, partners):
    partner = partners(films(12 * PAGE), page_size=PAGE)
    partner.page_delay = 0.3
    add(sessions, partner)
    outcome = {}
    harvest = threading.Thread(target=lambda: outcome.update(run=run(sessions, partner)))
    harvest.start()
    deadline = time.monotonic() + 30
    while (source(sessions).checkpoint or {}).get("counts", {}).get("pages", 0) < 2:
        assert time.monotonic() < deadline and harvest.is_alive()
        time.sleep(0.05)
    os.kill(_mapping_workers()[0], signal.SIGKILL)
    harvest.join(60)
    report = outcome["run"]
    assert report.status == "failed"
    assert "a process mapping records died" in report.message
    checkpoint = source(sessions).checkpoint
    assert checkpoint is not None
    # The report counts what was committed, not the page that was rolled back.
    assert report.counts["new"] == len(live(sessions)) == checkpoint["counts"]["new"] >= 2 * PAGE
    partner.page_delay = 0
    assert run(sessions, partner).status == "success"
    assert len(live(sessions)) == 12 * PAGE


def _page_of(records: list[PartnerRecord]) -> list[RawRecord]:
    """The records as a harvest reads them from a partner's page."""
    body = "".join(record.xml() for record in records)
    page = parse_page(
        f'<OAI-PMH xmlns="{OAI}"><responseDate>2024-06-01T00:00:00Z</responseDate>'
        f'<request verb="ListRecords">http://partner.example.org/oai</request>'
        f"<ListRecords>{body}</ListRecords></OAI-PMH>".encode()
    )
    return page.records


def test_a_workers_answer_is_a_name_small_enough_to_be_written_to_the_pipe_whole(tmp_path):
    """A worker killed while answering cannot leave half an answer on the pipe, which
    the pool would wait for the rest of forever: the answer fits one atomic write."""
    records = _page_of(films(PAGE))
    job = Job("partner", "http://partner.example.org/oai", datetime(2024, 6, 1), True)
    job = replace(job, schemas=registry.location(), spool=str(tmp_path))
    answer = _map_chunk(job, [(record.xml, None) for record in records])
    assert len(pickle.dumps(answer)) < PIPE_BUF // 4
    assert Path(answer).stat().st_size > 100 * len(pickle.dumps(answer))


def test_the_spool_holds_nothing_once_a_pages_outcomes_are_read_and_is_gone_after():
    records = _page_of(films(PAGE))
    mapper = Mapper("partner", "http://partner.example.org/oai", check=True, workers=2)
    try:
        mapped = [m for chunk in mapper.map_page(records, {}, datetime(2024, 6, 1)) for m in chunk]
        assert [m.raw.identifier for m in mapped] == [r.identifier for r in records]
        assert all(m.written is not None for m in mapped)
        spool = Path(mapper._spool)
        assert spool.is_dir() and list(spool.iterdir()) == []
    finally:
        mapper.close()
    assert not spool.exists()
