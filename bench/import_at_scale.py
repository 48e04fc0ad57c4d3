"""Importing at scale: `navette import` of a large CSV, as an admin runs it, and the
store it leaves.

    python bench/import_at_scale.py [--records 1000000] [--postgres URL]
                                    [--stores SQLite,PostgreSQL]

``--records`` generated records are written as one CSV (the native columns, as the
demo catalogue's), then imported by ``navette import`` in a process of its own, into a
new SQLite store and, with ``--postgres`` (a server URL), a new PostgreSQL database.
The command's standard error is a pseudo-terminal, so its progress bar is drawn as an
admin sees it; its last state is printed.  Reported for each store: seconds,
records/s, the importer's resident memory (sampled every second: the largest in the
first tenth of the run against the largest overall, which stay equal when memory is
flat), and the store's size a record, in all and table by table (SQLite's ``dbstat``;
PostgreSQL's ``pg_total_relation_size``, indexes and TOAST counted).
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve_floor import postgres_database  # noqa: E402
from bench.wiring import configure_schemas  # noqa: E402
from catalogue.database import normalise_url  # noqa: E402
from mappings.native import to_row  # noqa: E402
from tests.generated import generate  # noqa: E402

#: The importer's seed: other benches' records are not these.
SEED = 7
_BAR = re.compile(r"[^\r\n]*rec/s[^\r\n]*")


def write_csv(path: Path, count: int) -> None:
    """The CSV, streamed: a first pass finds every column the rows use."""
    columns: list[str] = []
    for record in generate(count, seed=SEED):
        columns += [column for column in to_row(record) if column not in columns]
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in generate(count, seed=SEED):
            writer.writerow(to_row(record))


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def cli_import(path: Path, url: str) -> dict:
    """``navette import`` run as a person runs it, its progress bar on a terminal."""
    environment = {**os.environ, "NAVETTE_DATABASE_URL": url}
    leader, follower = pty.openpty()
    # A terminal 120 columns wide: at pty's default of 0, tqdm draws nothing.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "navette", "import", str(path)],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    samples: list[tuple[float, float]] = []
    drawn = b""
    while child.poll() is None:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                drawn = (drawn + os.read(leader, 65536))[-4096:]
            except OSError:
                pass
        samples.append((time.perf_counter() - start, _rss_mb(child.pid)))
    seconds = time.perf_counter() - start
    while select.select([leader], [], [], 0.2)[0]:
        try:
            drawn = (drawn + os.read(leader, 65536))[-4096:]
        except OSError:
            break
    report = child.stdout.read().decode()
    os.close(leader)
    if child.returncode != 0:
        raise SystemExit(f"navette import failed ({child.returncode}):\n{report}")
    first_tenth = [rss for at, rss in samples if at <= seconds / 10] or [0.0]
    bars = _BAR.findall(drawn.decode(errors="replace"))
    return {
        "seconds": seconds,
        "early_mb": max(first_tenth),
        "peak_mb": max(rss for _, rss in samples),
        "bar": bars[-1].strip() if bars else "(no bar drawn)",
        "report": report.strip().splitlines()[-1] if report.strip() else "",
    }


def sizes(url: str) -> dict[str, int]:
    """Bytes each table takes, its indexes included."""
    engine = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("VACUUM")
            rows = connection.execute(
                text(
                    "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d "
                    "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1"
                )
            )
        else:
            connection.execute(text("VACUUM ANALYZE"))
            rows = connection.execute(
                text(
                    "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                )
            )
        measured = {name: int(size) for name, size in rows}
    engine.dispose()
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres", default=None, help="e.g. postgresql://postgres@127.0.0.1/test"
    )
    parser.add_argument(
        "--stores",
        default="SQLite,PostgreSQL",
        help="which of the stores to import into (PostgreSQL only with --postgres)",
    )
    args = parser.parse_args()
    chosen = set(args.stores.split(","))
    configure_schemas()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "catalogue.csv"
        write_csv(source, args.records)
        print(f"{args.records:,} generated records, {source.stat().st_size / 2**20:,.0f} MB of CSV")
        stores = []
        if "SQLite" in chosen:
            stores.append(("SQLite", f"sqlite:///{Path(folder) / 'import.db'}", lambda: None))
        if args.postgres and "PostgreSQL" in chosen:
            stores.append(("PostgreSQL", *postgres_database(args.postgres)))
        rows = []
        for name, url, drop in stores:
            try:
                ran = cli_import(source, url)
                measured = sizes(url)
            finally:
                drop()
            print(f"\n{name}: {ran['report']}\n  last progress drawn: {ran['bar']}")
            for table, size in sorted(measured.items(), key=lambda item: -item[1]):
                if size:
                    print(f"  {table:<28} {size / args.records:10,.0f} bytes a record")
            rows.append((name, ran, sum(measured.values())))
    print(
        "\n| store | records | seconds | records/s | RSS first tenth MB | RSS peak MB "
        "| bytes a record |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, ran, total in rows:
        rate = args.records / ran["seconds"]
        print(
            f"| {name} | {args.records:,} | {ran['seconds']:.0f} | {rate:,.0f} "
            f"| {ran['early_mb']:.0f} | {ran['peak_mb']:.0f} | {total / args.records:,.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
