"""A harvest run said in one line: on the terminal and in the log, with its counts."""

from __future__ import annotations

import logging

from catalogue.tables import HarvestRun

log = logging.getLogger("navette.harvest")


def describe(run: HarvestRun) -> str:
    counts = run.counts
    seconds = (run.finished - run.started).total_seconds() if run.finished else 0
    line = (
        f"{run.source}: {run.status}: {counts.get('new', 0)} new, {counts.get('updated', 0)} "
        f"updated, {counts.get('unchanged', 0)} unchanged, {counts.get('deleted', 0)} deleted, "
        f"{counts.get('rejected', 0)} rejected, {counts.get('held', 0)} deletions held, "
        f"{counts.get('absent', 0)} deletions of records never held, "
        f"{counts.get('superseded', 0)} older copies ignored, "
        f"{counts.get('retries', 0)} retries, {counts.get('pages', 0)} pages, {seconds:.0f} s "
        f"(run {run.id}, started {run.started:%Y-%m-%d %H:%M:%S} UTC"
        + (f", ended {run.finished:%Y-%m-%d %H:%M:%S} UTC)" if run.finished else ", running)")
    )
    if run.message:
        line += f"\n  {run.message}"
    return line


def log_run(run: HarvestRun) -> None:
    """One log line per harvest run, with its status and counts as fields."""
    fields = {"source": run.source, "status": run.status, **run.counts}
    level = logging.WARNING if run.status == "failed" else logging.INFO
    log.log(level, "%s", describe(run), extra={"run": fields})
