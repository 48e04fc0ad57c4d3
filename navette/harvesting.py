"""The harvest commands' edges: progress on a terminal or in a log, the run report, and
the worker loop that runs scheduled harvests."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import HarvestRun
from harvester import lease, state
from harvester.fetch import Fetcher
from harvester.sync import Harvest, Progress, SourceBusy
from mappings.publication import DEFAULT, Publication
from protocol.dates import utc_now

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
        if self.bar is not None:
            self.bar.close()


def describe(run: HarvestRun) -> str:
    counts = run.counts
    seconds = (run.finished - run.started).total_seconds() if run.finished else 0
    line = (
        f"{run.source}: {run.status}: {counts.get('new', 0)} new, {counts.get('updated', 0)} "
        f"updated, {counts.get('unchanged', 0)} unchanged, {counts.get('deleted', 0)} deleted, "
        f"{counts.get('rejected', 0)} rejected, {counts.get('held', 0)} deletions held, "
        f"{counts.get('retries', 0)} retries, {counts.get('pages', 0)} pages, {seconds:.0f} s"
    )
    if run.message:
        line += f"\n  {run.message}"
    return line


def log_run(run: HarvestRun) -> None:
    """One log line per harvest run, with its status and counts as fields."""
    fields = {"source": run.source, "status": run.status, **run.counts}
    level = logging.WARNING if run.status == "failed" else logging.INFO
    log.log(level, "%s", describe(run), extra={"run": fields})


def exit_status(run: HarvestRun) -> int:
    return {"success": 0, "rejects": 1}.get(run.status, 2)


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
        log_run(run)
        return run
    finally:
        progress.close()


def work(
    sessions: sessionmaker[Session],
    once: bool = False,
    interval: float = 30.0,
    clock: Callable[[], datetime] = utc_now,
    owner: str | None = None,
    fetcher: Callable[[], Fetcher] = Fetcher,
    publication: Publication = DEFAULT,
    workers: int | None = None,
) -> int:
    """Run scheduled harvests as they fall due; with ``once``, until none is due."""
    owner = owner or lease.owner_name()
    done = 0
    while True:
        with sessions.begin() as session:
            name = state.due_source(session, clock())
            claimed = name is not None and lease.claim(session, name, owner, clock())
        if claimed:
            try:
                run = Harvest(
                    sessions,
                    name,
                    fetcher(),
                    owner=owner,
                    clock=clock,
                    publication=publication,
                    workers=workers,
                ).run()
                log_run(run)
                done += 1
            except SourceBusy:
                pass
            except Exception:
                # One source's failure must not stop the others: its run is stored as
                # failed, and the error goes to the worker's log.
                log.exception("harvest of %s crashed", name)
            continue
        if once:
            return done
        time.sleep(interval)
