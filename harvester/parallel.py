"""Mapping a page's records on every core.

Checking, mapping, rendering and re-checking a record is CPU work in Python: one
process does a few hundred records a second while the partner, the network and
the store leave the other cores idle.  A page large enough is split into chunks
mapped by worker processes; the records travel as the XML they came in and come
back ready to store, in page order.  Small pages (and machines with one core) are
mapped in process, where starting workers would cost more than they save.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime

from catalogue import store
from harvester.fetch import HarvestFailed
from harvester.mapping import Mapped, local_identifier, map_raw
from harvester.pages import RawRecord, read_record
from mappings.publication import DEFAULT, Publication
from mappings.safexml import parse
from schemas import registry

#: Below this many records a page is mapped in process.
POOL_THRESHOLD = 40
#: How often a worker checks that its harvest is still there.
WATCH_SECONDS = 1.0


@dataclass(frozen=True)
class Job:
    """What every record of a harvest is mapped with."""

    source: str
    base_url: str
    now: datetime
    check: bool
    publication: Publication = DEFAULT
    #: Where the XSDs are: a worker process starts unconfigured.
    schemas: registry.Location = field(default_factory=registry.Location)


Outcome = tuple["store.Written | None", bool, "str | None"]


def _follow(harvest_pid: int) -> None:
    """In a worker: exit once the harvest that started it is gone.

    A harvest killed outright (kill -9, OOM) cannot shut its pool down, and its
    workers would wait for work forever, each holding its memory.
    """

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(harvest_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="follow-harvest", daemon=True).start()


def _map_chunk(job: Job, items: list[tuple[str, str | None]]) -> list[Outcome]:
    """In a worker: each (record XML, stored fingerprint) mapped as ``map_raw`` would."""
    registry.configure(job.schemas)
    outcomes = []
    for xml, stored in items:
        raw = read_record(parse(xml.encode()), xml)
        mapped = map_raw(raw, job.source, job.base_url, job.now, job.check, stored, job.publication)
        written = mapped.written.travelling() if mapped.written is not None else None
        outcomes.append((written, mapped.unchanged, mapped.problem))
    return outcomes


def _result(future: Future) -> list[Outcome]:
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise _died() from error


def _died() -> HarvestFailed:
    return HarvestFailed(
        "a process mapping records died (out of memory?); the next run resumes from "
        "the last page stored"
    )


def _merged(chunk: list[RawRecord], outcomes: list[Outcome]) -> list[Mapped]:
    """The chunk's records with what the worker made of those it was sent."""
    made = iter(outcomes)
    return [
        Mapped(raw, problem=raw.problem) if raw.problem is not None else Mapped(raw, *next(made))
        for raw in chunk
    ]


def default_workers() -> int:
    """One per core the process may use (when the settings name no number)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass
class PageMapping:
    """A page's records being mapped: its chunks in page order, and the work running."""

    chunks: Iterator[list[Mapped]]
    #: The workers' futures (none when the page was mapped in process).
    futures: list[Future] = field(default_factory=list)

    def __iter__(self) -> Iterator[list[Mapped]]:
        return self.chunks

    def running(self) -> list[Future]:
        return [future for future in self.futures if not future.done()]


class Mapper:
    """Maps pages of raw records, on worker processes when that pays."""

    def __init__(
        self,
        source: str,
        base_url: str,
        check: bool,
        workers: int | None = None,
        publication: Publication = DEFAULT,
    ):
        self.source, self.base_url, self.check = source, base_url, check
        self.publication = publication
        self.workers = default_workers() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None

    def map_page(self, raws: list[RawRecord], stored: dict[str, str], now: datetime) -> PageMapping:
        """Each record mapped, in page order, a chunk at a time as the workers finish.
        Work for the workers is handed out at once, so they map this page while the
        caller stores the one before.  ``stored`` holds the stored fingerprints by
        local identifier."""
        job = Job(
            self.source, self.base_url, now, self.check, self.publication, registry.location()
        )

        def fingerprint_of(raw: RawRecord) -> str | None:
            return stored.get(local_identifier(job.source, raw.identifier or ""))

        if self.workers < 2 or len(raws) < POOL_THRESHOLD:
            mapped = [
                map_raw(
                    raw,
                    job.source,
                    job.base_url,
                    now,
                    job.check,
                    fingerprint_of(raw),
                    job.publication,
                )
                for raw in raws
            ]
            return PageMapping(iter([mapped]))
        size = -(-len(raws) // (2 * self.workers))
        chunks = [raws[start : start + size] for start in range(0, len(raws), size)]
        # Records already refused while reading the page need no worker.
        try:
            futures = [
                self._executor().submit(
                    _map_chunk,
                    job,
                    [(raw.xml, fingerprint_of(raw)) for raw in chunk if raw.problem is None],
                )
                for chunk in chunks
            ]
        except BrokenProcessPool as error:
            raise _died() from error
        return PageMapping(
            (
                _merged(chunk, _result(future))
                for chunk, future in zip(chunks, futures, strict=True)
            ),
            futures,
        )

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Not fork: workers must not inherit the harvest's threads, locks or connections.
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else "spawn"
            )
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_follow, initargs=(os.getpid(),)
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
