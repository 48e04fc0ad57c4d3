"""Import throughput and peak memory for generated catalogue records.

    python bench/import.py [--records 100000] [--database-url URL]

Writes N generated records as native JSON Lines, then, in one run, measures
(1) reading and validating them only (JSON Schema, no rendering, no database),
(2) a dry run (adds rendering in both formats and XSD checks of every rendering),
(3) the full import into a fresh database, and (4) re-importing the same file
(every record unchanged: a no-op).  Figures are records/s and ratios between
the stages, all from this one run; peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.wiring import configure_schemas
from catalogue import codec
from catalogue.database import open_store
from ingest.importing import import_paths
from ingest.readers import read_paths
from tests.generated import generate


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, count: int, action) -> float:
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    print(
        f"{label:<44} {elapsed:8.1f} s {count / elapsed:10.0f} records/s  "
        f"peak RSS {peak_rss_mb():7.0f} MB",
        flush=True,
    )
    return count / elapsed, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    configure_schemas()

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "catalogue.jsonl"
        with open(source, "w", encoding="utf-8") as out:
            for record in generate(args.records, seed=7):
                out.write(json.dumps(codec.to_dict(record), ensure_ascii=False) + "\n")
        size_mb = source.stat().st_size / 2**20
        print(f"{args.records} generated records, {size_mb:.0f} MB of JSON Lines")
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        sessions = open_store(url)

        read_rate, _ = timed(
            "read + JSON Schema", args.records, lambda: sum(1 for _ in read_paths([source]))
        )
        dry_rate, _ = timed(
            "dry run (+ render both formats + XSD)",
            args.records,
            lambda: import_paths(None, [source], dry_run=True),
        )
        full_rate, report = timed(
            "import into a fresh database", args.records, lambda: import_paths(sessions, [source])
        )
        assert report.counts["new"] == args.records, report.counts
        again_rate, report = timed(
            "re-import, all unchanged", args.records, lambda: import_paths(sessions, [source])
        )
        assert report.counts["unchanged"] == args.records, report.counts
        print()
        print(f"database: {sessions.kw['bind'].url.get_backend_name()}")
        print(f"full import / read only      = {full_rate / read_rate:.2f}x")
        print(f"full import / dry run        = {full_rate / dry_rate:.2f}x")
        print(f"re-import (no-op) / import   = {again_rate / full_rate:.2f}x")
        print(f"peak RSS                     = {peak_rss_mb():.0f} MB")
        sessions.kw["bind"].dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
