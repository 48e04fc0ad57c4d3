"""The command line: every command registered explicitly, no import cycle, runnable as a
module as well as through its console script."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

COMMANDS = [
    "admin", "check", "db", "delete", "deletions", "demo", "dump", "export", "harvest", "import",
    "quarantine", "render", "schemas", "serve", "sets", "sources", "validate", "worker",
]  # fmt: skip


def test_python_m_navette_cli_lists_every_command():
    done = subprocess.run(
        [sys.executable, "-m", "navette.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    listed = [line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line]
    assert listed == COMMANDS


def test_no_command_module_imports_the_command_line():
    for module in (ROOT / "navette" / "commands").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "from navette.cli " not in text and "import navette.cli" not in text, module.name
