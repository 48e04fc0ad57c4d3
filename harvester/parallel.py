"""Mapping a page's records on every core.

Checking, mapping, rendering and re-checking a record is CPU work in Python: one
process does a few hundred records a second while the partner, the network and
the store leave the other cores idle.  A page large enough is split into chunks
mapped by worker processes; the records travel as the XML they came in and come
back ready to store, in page order.  Small pages (and machines with one core) are
mapped in process, where starting workers would cost more than they save.

A chunk's records come back through a file of the harvest's spool, and the worker's
answer on the pipe only names it.  An answer that small is written to the pipe in
one piece: a worker killed while answering (``kill -9``, the kernel out of memory)
cannot leave half of one there, which the pool would wait for the rest of forever
(CPython's ProcessPoolExecutor reads a message to its end); the pool breaks instead,
the harvest fails, and the next run resumes.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
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
    #: The folder a worker leaves each chunk's outcomes in (``_map_chunk``).
    spool: str = ""


Outcome = tuple["store.Written | None", bool, "str | None"]


def _follow(harvest_pid: int, spool: str) -> None:
    """In a worker: exit once the harvest that started it is gone, and take its spool
    away with it.

    A harvest killed outright (kill -9, OOM) cannot shut its pool down, and its
    workers would wait for work forever, each holding its memory; the outcomes they
    left for it would stay on disk.
    """

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(harvest_pid, 0)
            except ProcessLookupError:
                shutil.rmtree(spool, ignore_errors=True)
                os._exit(1)

    threading.Thread(target=watch, name="follow-harvest", daemon=True).start()


def _map_chunk(job: Job, items: list[tuple[str, str | None]]) -> str:
    """In a worker: each (record XML, stored fingerprint) mapped as ``map_raw`` would;
    the outcomes left in a file of the spool, whose name is the answer."""
    registry.configure(job.schemas)
    outcomes = []
    for xml, stored in items:
        raw = read_record(parse(xml.encode()), xml)
        mapped = map_raw(raw, job.source, job.base_url, job.now, job.check, stored, job.publication)
        written = mapped.written.travelling() if mapped.written is not None else None
        outcomes.append((written, mapped.unchanged, mapped.problem))
    handle, path = tempfile.mkstemp(dir=job.spool, suffix=".pickle")
    with os.fdopen(handle, "wb") as spooled:
        pickle.dump(outcomes, spooled, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _result(future: Future) -> list[Outcome]:
    """The outcomes a worker left in the spool (read once, then removed)."""
    try:
        path = future.result()
    except BrokenProcessPool as error:
        raise _died() from error
    try:
        with open(path, "rb") as spooled:
            return pickle.load(spooled)
    finally:
        os.unlink(path)


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
        #: The workers' spool (``_map_chunk``), made with the pool, removed with it.
        self._spool: str | None = None

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
            executor = self._executor()
            job = replace(job, spool=self._spool)
            futures = [
                executor.submit(
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
            self._spool = tempfile.mkdtemp(prefix="navette-mapped-")
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_follow,
                initargs=(os.getpid(), self._spool),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._spool is not None:
            # What a worker left and no one read: a page the harvest failed on.
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None
