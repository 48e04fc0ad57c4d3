"""A harvest killed at any moment (kill -9) resumes from its last checkpoint and ends with
the same catalogue as an uninterrupted run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from catalogue.database import open_store
from catalogue.tables import HarvestRun, RecordRow
from harvester.parallel import POOL_THRESHOLD
from tests.conftest import ROOT, requires_schemas
from tests.harvest.helpers import add, catalogue, process_tree, run, source
from tests.harvest.partner import films

pytestmark = requires_schemas

HARVEST = """
import sys
from harvester.sync import Harvest
from catalogue.database import open_store
from navette.config import Settings
Harvest(open_store(sys.argv[1]), "partner", fetcher=Settings.from_env().fetcher()).run()
"""


def _contents(sessions) -> dict[str, tuple[bool, str]]:
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.identifier, RecordRow.deleted, RecordRow.content_hash)
        ).all()
    return {identifier: (deleted, digest) for identifier, deleted, digest in rows}


def _assert_gone(pids: set[int], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        alive = {pid for pid in pids if Path(f"/proc/{pid}").exists()}
        if not alive:
            return
        assert time.monotonic() < deadline, f"processes outlived their harvest: {alive}"
        time.sleep(0.1)


@pytest.mark.parametrize("kill_after_pages", [1, 4, 9])
@pytest.mark.parametrize(
    "page_size",
    [3, POOL_THRESHOLD + 10],
    ids=["pages-mapped-in-process", "pages-mapped-by-workers"],
)
def test_a_harvest_killed_mid_list_resumes_to_the_same_catalogue(
    database_url, partners, tmp_path, kill_after_pages, page_size
):
    records = films(13 * page_size + 1)
    for record in records[::7]:
        record.deleted = True
    partner = partners(records, page_size=page_size)
    partner.page_delay = 0.05

    reference = open_store(f"sqlite:///{tmp_path / 'reference.db'}")
    run(reference, partner, name="partner")
    expected = _contents(reference)

    sessions = open_store(database_url)
    add(sessions, partner)
    # Where the harvest's workers spool what they mapped: a short path, for the
    # forkserver's socket beside it (a socket's path has room for 107 bytes).
    temporary = Path(tempfile.mkdtemp(prefix="nv-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    process = subprocess.Popen(
        [sys.executable, "-c", HARVEST, database_url], env=env, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while True:
        checkpoint = source(sessions).checkpoint
        if checkpoint and checkpoint.get("counts", {}).get("pages", 0) >= kill_after_pages:
            break
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    helpers = set(process_tree(process.pid))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _assert_gone(helpers)
    assert list(temporary.glob("navette-mapped-*")) == []
    shutil.rmtree(temporary)
    assert source(sessions).status == "running"
    assert len(catalogue(sessions)) < len(expected)

    from harvester.sync import Harvest
    from tests.harvest.helpers import NOW, fetcher

    # At once: the dead process's claim names it, and it is gone.
    assert source(sessions).lease_until is not None
    report = Harvest(sessions, "partner", fetcher=fetcher(), clock=lambda: NOW).run()
    assert report.status == "success"
    with sessions() as session:
        killed = session.scalars(select(HarvestRun).order_by(HarvestRun.id)).first()
    assert killed.status == "failed" and "interrupted" in killed.message
    resumed = _contents(sessions)
    assert resumed.keys() == expected.keys()
    assert {k: v[0] for k, v in resumed.items()} == {k: v[0] for k, v in expected.items()}
    assert {k: v[1] for k, v in resumed.items()} == {k: v[1] for k, v in expected.items()}
    sessions.kw["bind"].dispose()
    reference.kw["bind"].dispose()
    Path(tmp_path / "reference.db").unlink()
