"""The command line as a person meets it: help on every command and subcommand; an action
on something that does not exist fails; runs listed with their times; a running count
for long imports on a terminal; a harvest's bar ends at its total."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios

import click
import pytest

from harvester.run import Progress
from navette.cli import main
from navette.harvesting import TerminalProgress
from tests.conftest import ROOT
from tests.harvest.helpers import run
from tests.harvest.partner import PartnerRecord, films


def every_command(group: click.Group, path: str = "navette"):
    for name, command in sorted(group.commands.items()):
        yield f"{path} {name}", command
        if isinstance(command, click.Group):
            yield from every_command(command, f"{path} {name}")


@pytest.mark.parametrize(("path", "command"), list(every_command(main)), ids=lambda v: str(v))
def test_every_command_and_subcommand_has_help_text(path, command):
    assert (command.help or "").strip(), f"{path} has no help text"


@pytest.mark.parametrize(
    "args",
    [
        ("delete", "nope-999"),
        ("quarantine", "show", "999"),
        ("quarantine", "retry", "999"),
        ("deletions", "approve", "999"),
        ("deletions", "reject", "999"),
        ("sources", "show", "nope"),
        ("sources", "edit", "nope", "--schedule", "0 3 * * *"),
        ("sources", "pause", "nope"),
        ("sources", "resume", "nope"),
        ("sources", "remove", "nope", "--keep-records"),
        ("sources", "unlock", "nope"),
        ("sets", "name", "nope", "A name"),
        ("harvest", "nope"),
    ],
    ids=" ".join,
)
def test_an_action_on_something_that_does_not_exist_fails(cli, args):
    result = cli(*args)
    assert result.exit_code != 0, result.output
    assert ("Traceback" not in result.output and "nope" in result.output) or "999" in result.output


def test_a_sources_runs_are_listed_with_their_times(cli, sessions, partners):
    partner = partners(films(2))
    run(sessions, partner, "p1")
    shown = cli("sources", "show", "p1").output
    assert "p1: success: 2 new" in shown
    moment = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
    assert re.search(rf"\(run \d+, started {moment}, ended {moment}\)", shown), shown


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_harvest_bar_ends_at_what_was_read_when_the_partners_total_was_too_high():
    screen = Terminal()
    progress = TerminalProgress("p1", stream=screen)
    progress(Progress(pages=1, records=100, complete_list_size=338))
    progress(Progress(pages=3, records=300, complete_list_size=338))
    progress.close()
    last = screen.getvalue().split("\r")[-1]
    assert "300/300" in last and "100%" in last


def test_a_harvests_progress_counts_deletions_as_read(sessions, partners):
    deleted = [PartnerRecord(f"oai:partner.example.org:d{n}", "2024-05-09T00:00:00Z",
                             deleted=True) for n in range(4)]  # fmt: skip
    partner = partners(films(5) + deleted, page_size=3)
    seen: list[Progress] = []
    run(sessions, partner, progress=seen.append)
    assert seen[-1].records == seen[-1].complete_list_size == 9


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What `navette ARGS` writes to stderr when stderr is a terminal (a pty)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "navette", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    said = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break  # the command ended and closed the terminal
        if not chunk:
            break
        said += chunk
    process.wait(timeout=60)
    os.close(controller)
    return said.decode(errors="replace")


def test_a_long_import_shows_a_running_count_on_a_terminal(tmp_path):
    rows = ["identifier,titles@en"] + [f"film-{n:05d},Film {n}" for n in range(1200)]
    (tmp_path / "films.csv").write_text("\n".join(rows) + "\n")
    said = on_a_terminal(
        ["import", str(tmp_path / "films.csv")],
        {"NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"},
    )
    assert re.search(r"importing: 1200rec \[[\d:]+, +[\d.]+rec/s\]", said), said
