"""What ``/proc`` says of a process: its parent, its CPU, its family.

Shared by the benchmarks that account for the CPU of each process of a run (a server's
worker, a harvest's mapping workers), so that they read ``/proc`` alike.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int | str) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command's name (state first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int | str) -> float:
    """User and system CPU the process has used so far."""
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS


def family(root: int) -> set[int]:
    """``root`` and every process descended from it."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(stat_fields(entry)[1])
            except OSError:
                pass
    found, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found
