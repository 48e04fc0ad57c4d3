"""What reading a page's rows costs with nothing else: the part of a served page no
Python above the driver can remove.

    python bench/serve_budget.py [--records 20000] [--postgres URL]

Fills a store as ``bench/serve_floor.py`` does, then walks every page of 100 and of
1,000 records with the page query Navette runs (the same columns, join, keyset and
order), through the bare driver (sqlite3, psycopg): no SQLAlchemy, no response built.
Printed as microseconds per record, to set beside the floor's (1e6 / floor records/s).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill  # noqa: E402
from bench.serve_floor import postgres_database  # noqa: E402

QUERY = """
SELECT r.identifier, {datestamp}, r.deleted, r.set_specs, x.xml, r.about
FROM records r LEFT OUTER JOIN renderings x ON x.record_id = r.id AND x.prefix = {p}
WHERE (r.deleted OR r.formats LIKE {p}) AND (r.datestamp, r.identifier) > ({p}, {p})
ORDER BY r.datestamp, r.identifier LIMIT {p}
"""


def walk(execute, size: int, prefix: str, start) -> tuple[int, float]:
    """Every page of the list, keyset after keyset: (records, seconds)."""
    after, count = start, 0
    began = time.perf_counter()
    while True:
        rows = execute((prefix, f"% {prefix} %", *after, size + 1))
        count += min(len(rows), size)
        if len(rows) <= size:
            return count, time.perf_counter() - began
        after = (rows[size - 1][6], rows[size - 1][0])


def sqlite_walks(path: Path) -> dict[tuple[str, int], float]:
    connection = sqlite3.connect(path)
    sql = QUERY.format(datestamp="strftime('%Y-%m-%dT%H:%M:%SZ', r.datestamp)", p="?")
    sql = sql.replace("r.about\n", "r.about, r.datestamp\n").replace(
        "r.deleted OR", "r.deleted = 1 OR"
    )
    return {
        (prefix, size): walk(
            lambda v: connection.execute(sql, v).fetchall(), size, prefix, ("", "")
        )
        for prefix in ("oai_dc", "ebucore")
        for size in (100, 1000)
    }


def postgres_walks(url: str) -> dict[tuple[str, int], float]:
    import psycopg

    connection = psycopg.connect(url)
    datestamp = """to_char(r.datestamp, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    sql = QUERY.format(datestamp=datestamp, p="%s").replace("r.about\n", "r.about, r.datestamp\n")
    return {
        (prefix, size): walk(
            lambda v: connection.execute(sql, v).fetchall(),
            size,
            prefix,
            (datetime(1900, 1, 1), ""),
        )
        for prefix in ("oai_dc", "ebucore")
        for size in (100, 1000)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "budget.db"
        fill(f"sqlite:///{path}", args.records, prefixes=("oai_dc", "ebucore")).kw["bind"].dispose()
        results["SQLite"] = sqlite_walks(path)
    if args.postgres:
        url, drop = postgres_database(args.postgres)
        try:
            fill(url, args.records, prefixes=("oai_dc", "ebucore")).kw["bind"].dispose()
            results["PostgreSQL"] = postgres_walks(url)
        finally:
            drop()
    print("| database | format | page | bare driver µs/record |")
    print("|---|---|---|---|")
    for database, walks in results.items():
        for (prefix, size), (count, seconds) in walks.items():
            if count != args.records:
                raise RuntimeError(f"{database} {prefix} {size}: {count} of {args.records}")
            print(f"| {database} | {prefix} | {size} | {seconds / count * 1e6:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
