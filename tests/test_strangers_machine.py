"""The README's test command on a stranger's machine: a clone with no ``../shared`` and
no schema cache.  A few modules that need the XSDs and the examples are run there and
must pass, each test that needs what is absent skipping with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT

#: Modules whose tests need the schemas, EBU's examples or the partners' documents.
MODULES = [
    "tests/test_builder.py",
    "tests/oai/test_page_read.py",
    "tests/oai/test_resumed_reads.py",
    "tests/formats/test_partners.py",
]


def test_without_shared_the_tests_that_need_it_skip_saying_why(tmp_path):
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    clone = tmp_path / "stranger" / "navette"
    for name in filter(None, (n.decode() for n in listed)):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NAVETTE_SCHEMA_DIR", "NAVETTE_TEST_DATABASE_URL", "PYTHONPATH")
    }
    env["XDG_CACHE_HOME"] = str(tmp_path / "empty-cache")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *MODULES],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "the official XSDs are absent" in result.stdout
    assert "failed" not in result.stdout.splitlines()[-1]
