"""Harvesting: Navette's full harvest against Sickle's bare fetch-and-parse, same feed.

    python bench/harvest.py [--records 100000] [--big 0] [--postgres URL] [--formats LIST]
                            [--feeds own,ordinary]

A Navette instance serves ``--records`` generated records once; its walk is recorded
and served from memory by ``bench/static_feed_app.py`` under gunicorn (one sync
worker), a partner that costs almost nothing.  In one run:
* Sickle harvests it (ListRecords, ebucore): fetch and parse every record, nothing else;
* Navette harvests it: fetch, validate every record against the EBUCore XSD, map
  it into the catalogue, render and check every format served, store it (SQLite);
each in a process of its own; with ``--postgres`` (a server URL) Navette's store is a
new PostgreSQL database as well as SQLite.  Peak memory: Sickle's process (RSS), and for Navette
the harvest process with its mapping workers (summed PSS, sampled every half second).  With
``--big N`` the Navette harvest is repeated at N records to show memory stays flat, into
each store chosen (``--big-stores PostgreSQL`` for one of them only).
Each of two feeds is measured so: ``own``, Navette's EBUCore, which its reader maps
straight in, and ``ordinary``, the same records written as other tools write EBUCore
(``tests/ordinary_ebucore.py``: labelled titles, roles by link, acronyms), which Navette
keeps verbatim and reads through ``mappings.ebucore_readings``.
With ``--formats oai_dc,ebucore`` each Navette harvest is run a second time serving only
those formats (NAVETTE_FORMATS): what rendering the others costs.

Beside each rate: the CPU the harvest used a record (Sickle's process; Navette's harvest
process and its mapping workers, read from ``/proc`` every quarter second, so a worker's
last quarter second may be missed) and how busy the machine's cores were meanwhile.  On
two cores, 0.5x of Sickle leaves Navette at most four times Sickle's CPU a record, and
only if it keeps both cores busy.  Last, the serial part: the CPU a record of the one
process every record goes through (Navette's harvest process, which fetches, reads
pages, ships records to the workers and stores them; workers can be added with cores,
it cannot), and the rate it alone allows against Sickle's: the ratio the harvest
would reach with a core for every worker it needs.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill  # noqa: E402
from bench.serve import Server  # noqa: E402
from bench.serve_floor import postgres_database  # noqa: E402
from bench.wiring import configure_schemas  # noqa: E402
from tests.ordinary_ebucore import rewrite_page  # noqa: E402

#: The networks the benchmark's partners listen on.
LOOPBACK = "127.0.0.1/32, ::1"

#: The machine's CPU time, all cores, and the part of it spent idle (``/proc/stat``).
MACHINE = """
def machine():
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    return sum(ticks), ticks[3] + ticks[4]


def busy(before, after):
    return 1 - (after[1] - before[1]) / max(after[0] - before[0], 1)
"""

SICKLE = (
    MACHINE
    + """
import resource, sys, time
from sickle import Sickle
start, cpu, cores = time.perf_counter(), time.process_time(), machine()
count = 0
for record in Sickle(sys.argv[1], max_retries=3).ListRecords(metadataPrefix="ebucore"):
    count += record.metadata is not None
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, seconds, rss, cpu, busy(cores, machine()), cpu)
"""
)

NAVETTE = (
    MACHINE
    + """
import os, resource, sys, threading, time
from catalogue.database import open_store
from protocol.dates import utc_now
from harvester import state
from harvester.sync import Harvest
from mappings.formats import published_formats
from mappings.publication import Publication
from navette.config import Settings
from bench.processes import cpu_seconds, family
from bench.wiring import configure_schemas


def pss_mb(pids):
    # Proportional resident MB: pages the processes share (libraries, the forked
    # server) counted once.
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


peak = [0.0]
#: CPU seconds of each descendant, as last read (a worker's stays once it exits).
descendants = {}
#: The watcher's own CPU, taken out of this process's.
watching = [0.0]
done = threading.Event()


def watch():
    tick = 0
    while not done.wait(0.25):
        began = time.thread_time()
        pids = family(os.getpid())
        for pid in pids - {os.getpid()}:
            try:
                descendants[pid] = cpu_seconds(pid)
            except OSError:
                continue
        if tick % 2 == 0:
            peak[0] = max(peak[0], pss_mb(pids))
        tick += 1
        watching[0] += time.thread_time() - began


if __name__ == "__main__":
    configure_schemas()
    sessions = open_store(sys.argv[2])
    with sessions.begin() as session:
        state.add_source(session, "partner", sys.argv[1], ["ebucore"], [], None, utc_now())
    threading.Thread(target=watch, daemon=True).start()
    start, cpu, cores = time.perf_counter(), time.process_time(), machine()
    formats = published_formats(sys.argv[3]) if len(sys.argv) > 3 else None
    fetcher = Settings.from_env().fetcher()  # as `navette harvest` builds it
    run = Harvest(
        sessions, "partner", fetcher=fetcher, publication=Publication(formats=formats)
    ).run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    cores = busy(cores, machine())
    done.set()
    if run.status != "success":
        raise SystemExit(f"the harvest ended {run.status}: {run.message}")
    serial = cpu - watching[0]
    cpu = serial + sum(descendants.values())
    print(run.counts["new"], seconds, peak[0] * 1024, cpu, cores, serial)
"""
)


@dataclass(frozen=True)
class Walked:
    """One harvest, as its process reports it."""

    records: int
    seconds: float
    peak_mb: float
    #: The harvest's CPU, every process of it, all cores.
    cpu_seconds: float
    #: How busy the machine's cores were during it (0 to 1).
    busy: float
    #: The CPU of the one process every record goes through (Navette's harvest process,
    #: its threads included; Sickle's only process). Mapping workers can be added with
    #: cores; this process cannot, so records / this estimates the rate once every
    #: worker has a core (on the low side: its threads overlap where libxml2 and SQLite
    #: release the GIL).
    serial_seconds: float

    def row(self, label: str, sickle: Walked) -> str:
        rate = self.records / self.seconds
        sickle_rate = sickle.records / sickle.seconds
        return (
            f"| {label} | {self.records} | {self.seconds:.1f} | {rate:.0f} | "
            f"{self.peak_mb:.0f} | {self.cpu_seconds / self.records * 1e6:.0f} | "
            f"{self.busy * 100:.0f} % | {rate / sickle_rate:.2f}x | "
            f"{self.serial_seconds / self.records * 1e6:.0f} | "
            f"{self.records / self.serial_seconds / sickle_rate:.2f}x |"
        )


def in_child(code: str, *args: str) -> Walked:
    """A harvest run in a process of its own."""
    finished = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # The partner is on loopback, which the harvester refuses unless allowed.
        env={**os.environ, "PYTHONPATH": str(ROOT), "NAVETTE_HARVEST_ALLOWED_NETWORKS": LOOPBACK},
    )
    if finished.returncode:
        raise RuntimeError(f"the harvest in {args[-1]} failed:\n{finished.stderr}")
    output = finished.stdout.split()
    records, seconds, peak_kb, cpu, busy, serial = output[:6]
    return Walked(
        int(records), float(seconds), float(peak_kb) / 1024, float(cpu), float(busy), float(serial)
    )


TOKEN = re.compile(rb"(<resumptionToken[^>]*>)([^<]+)(</resumptionToken>)")


def record_feed(url: str, folder: Path, ordinary: bool = False) -> Path:
    """Identify, ListMetadataFormats and every ListRecords (ebucore) page of ``url``,
    written to ``folder`` with the tokens renamed p1, p2 ...; ``ordinary``: each
    record's EBUCore written the way other tools write it (``tests.ordinary_ebucore``)."""
    folder.mkdir(parents=True, exist_ok=True)
    session = requests.Session()
    for verb in ("Identify", "ListMetadataFormats"):
        body = session.get(url, params={"verb": verb}, timeout=600).content
        (folder / ("identify.xml" if verb == "Identify" else "formats.xml")).write_bytes(body)
    params = {"verb": "ListRecords", "metadataPrefix": "ebucore"}
    number = 0
    while True:
        body = session.get(url, params=params, timeout=600).content
        found = TOKEN.search(body)
        renamed = TOKEN.sub(rb"\g<1>p%d\g<3>" % (number + 1), body)
        if ordinary:
            renamed = rewrite_page(renamed)
        (folder / f"page-{number:07d}.xml").write_bytes(renamed)
        if found is None:
            return folder
        params = {"verb": "ListRecords", "resumptionToken": found[2].decode()}
        number += 1


def partner(count: int, folder: Path, ordinary: bool = False) -> Server:
    """A recorded feed of ``count`` records, served from memory."""
    database = folder / f"partner-{count}.db"
    print(f"filling a partner with {count} records ...", flush=True)
    fill(f"sqlite:///{database}", count, prefixes=("oai_dc", "ebucore")).kw["bind"].dispose()
    navette = Server(
        "navette.wsgi:app",
        {"NAVETTE_DATABASE_URL": f"sqlite:///{database}", "NAVETTE_PAGE_SIZE": "100"},
    )
    try:
        feed = record_feed(navette.url, folder / f"feed-{count}-{ordinary}", ordinary)
    finally:
        navette.stop()
    database.unlink()
    return Server("bench.static_feed_app:app", {"BENCH_FEED": str(feed)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=0)
    parser.add_argument(
        "--postgres", default=None, help="e.g. postgresql://postgres@127.0.0.1/test"
    )
    parser.add_argument("--formats", default=None, help="e.g. oai_dc,ebucore")
    parser.add_argument(
        "--feeds",
        default="own,ordinary",
        help="own: Navette's EBUCore; ordinary: as other tools write it (tests.ordinary_ebucore)",
    )
    parser.add_argument(
        "--big-stores",
        default=None,
        help="where the --big harvest runs: SQLite,PostgreSQL (default: every store chosen)",
    )
    args = parser.parse_args()
    configure_schemas()
    served = [("all formats", ())]
    if args.formats:
        served.append((args.formats, (args.formats,)))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        databases = ["SQLite", "PostgreSQL"] if args.postgres else ["SQLite"]

        def new_store(name: str, run: int) -> tuple[str, callable]:
            if name == "SQLite":
                path = folder / f"harvest-{run}.db"
                return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
            return postgres_database(args.postgres)

        for feed in args.feeds.split(","):
            server = partner(args.records, folder, ordinary=feed == "ordinary")
            try:
                sickle = in_child(SICKLE, server.url)
                rows.append((f"{feed} EBUCore: Sickle fetch + parse", sickle, sickle))
                for name in databases:
                    for run, (formats, extra) in enumerate(served):
                        target, drop = new_store(name, run)
                        try:
                            walked = in_child(NAVETTE, server.url, target, *extra)
                        finally:
                            drop()
                        label = f"{feed} EBUCore: Navette into {name}, {formats} served"
                        rows.append((label, walked, sickle))
            finally:
                server.stop()
        if args.big:
            big_stores = args.big_stores.split(",") if args.big_stores else databases
            server = partner(args.big, folder)
            try:
                for name in big_stores:
                    target, drop = new_store(name, len(served))
                    try:
                        walked = in_child(NAVETTE, server.url, target)
                    finally:
                        drop()
                    rows.append((f"Navette harvest into {name}, big", walked, sickle))
            finally:
                server.stop()
    print()
    print(
        "| harvest | records | seconds | records/s | peak memory MB | CPU µs a record "
        "| cores busy | / Sickle | serial CPU µs a record | serial ceiling / Sickle |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, walked, peer in rows:
        print(walked.row(label, peer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
