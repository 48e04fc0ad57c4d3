"""Several processes starting together on a new store (gunicorn's workers, a worker and
the web server) all start: the schema is made once, by whichever comes first."""

from __future__ import annotations

import os
import subprocess
import sys

from catalogue.database import current_revision, make_engine
from tests.conftest import ROOT

OPEN = "import sys; from catalogue.database import open_store; open_store(sys.argv[1])"


def test_processes_starting_together_on_a_new_store_all_start(database_url):
    command = [sys.executable, "-c", OPEN, database_url]
    starting = [
        subprocess.Popen(command, cwd=ROOT, env=os.environ, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    failures = [p.stderr.read().decode() for p in starting if p.wait(timeout=120) != 0]
    assert failures == []
    engine = make_engine(database_url)
    assert current_revision(engine) is not None
    engine.dispose()
