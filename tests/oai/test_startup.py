"""What a served process does once, at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_entry_point_leaves_start_up_objects_out_of_garbage_collections(tmp_path):
    """The app, the tables' metadata and the compiled statements live as long as the
    process: a full collection should not walk them after every few pages."""
    probe = "import gc, navette.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 10_000
