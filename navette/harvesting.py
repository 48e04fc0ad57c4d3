"""The harvest command's edges: progress on a terminal or in a log, and its exit status."""

from __future__ import annotations

import logging
import sys
import time

from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import HarvestRun
from harvester.fetch import Fetcher
from harvester.reports import log_run
from harvester.sync import Harvest, Progress
from mappings.publication import DEFAULT, Publication

log = logging.getLogger("navette.harvest")


class TerminalProgress:
    """A tqdm bar on a terminal (records, pages, rate, ETA from completeListSize), else a
    log line per page (navette.harvest, in the configured log format)."""

    def __init__(self, name: str, stream=None) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        self.bar = None
        self.started = time.monotonic()

    def __call__(self, progress: Progress) -> None:
        if self.stream.isatty():
            from tqdm import tqdm

            if self.bar is None:
                self.bar = tqdm(
                    total=progress.complete_list_size, unit="rec", desc=self.name, file=self.stream
                )
            if progress.complete_list_size and self.bar.total != progress.complete_list_size:
                self.bar.total = progress.complete_list_size
            self.bar.set_postfix(pages=progress.pages)
            self.bar.update(progress.records - self.bar.n)
            return
        fields = {
            "source": self.name,
            "page": progress.pages,
            "records": progress.records,
            "of": progress.complete_list_size,
            "rate": round(progress.records / max(time.monotonic() - self.started, 1e-6)),
        }
        total = f"/{progress.complete_list_size}" if progress.complete_list_size else ""
        log.info(
            f"%(source)s: page %(page)s, %(records)s{total} records, %(rate)s records/s",
            fields,
            extra=fields,
        )

    def close(self) -> None:
        """End the bar at what was read: a partner's completeListSize is an estimate
        (OAI-PMH 3.5), and a bar left short reads as a harvest cut off."""
        if self.bar is not None:
            self.bar.total = self.bar.n
            self.bar.refresh()
            self.bar.close()


#: A run's status -> the harvest command's exit code (README, "Exit codes").
EXIT_CODES = {"success": 0, "rejects": 1, "failed": 2, "held": 3}
#: Which code a harvest of several sources ends with: the most serious of their runs.
SEVERITY = (0, 1, 3, 2)


def exit_status(run: HarvestRun) -> int:
    return EXIT_CODES.get(run.status, 2)


def worst(codes: list[int]) -> int:
    """The most serious of several runs' exit codes (a failure above held deletions)."""
    return max(codes, key=SEVERITY.index, default=0)


def harvest_source(
    sessions: sessionmaker[Session],
    name: str,
    reconcile: bool = False,
    owner: str | None = None,
    fetcher: Fetcher | None = None,
    publication: Publication = DEFAULT,
    workers: int | None = None,
) -> HarvestRun:
    progress = TerminalProgress(name)
    try:
        run = Harvest(
            sessions,
            name,
            fetcher,
            reconcile=reconcile,
            progress=progress,
            owner=owner,
            publication=publication,
            workers=workers,
        ).run()
    finally:
        progress.close()
    log_run(run)  # after the bar is closed, not printed through it
    return run
