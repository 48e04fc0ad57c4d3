"""What reading a page's rows costs with nothing else: the part of a served page no
Python above the driver can remove.

    python bench/serve_budget.py [--records 20000] [--postgres URL]

Fills a store as ``bench/serve_floor.py`` does, then walks every page of 100 and of
1,000 records with Navette's own page statement (compiled from ``oai.repository``, so
it cannot drift from the provider's), through the bare driver (sqlite3, psycopg): no
SQLAlchemy, no response built.
Printed as microseconds per record beside the floor's, measured in the same run
(``bench.serve.floor``: Navette's first page sent over and over by a server that does no
work, to the same client), and beside the budget 0.7x of the floor leaves Navette.
The same page is also sent by ``bench/flask_page_app.py`` (a Flask view that reads and
signs the tokens as Navette does): what 0.7x leaves once Flask and the tokens are paid
is the room for everything else a page costs, its read and its headers first.

Beside it, the cheapest layout a store could have for this walk: every ``<record>``
element written whole in advance, one row per record and format in a table of its own,
read in list order along its index (``prebuilt``): about what no change to Navette's
layout could go below.  Where even that costs more than the room, 0.7x is out of reach
of any layout read through that driver under Flask.  On SQLite that layout is also
served over HTTP, by ``bench/prebuilt_page_app.py`` (Flask, tokens, Navette's envelope,
records read whole): the fastest walk this design allows, as a ratio to the floor.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill  # noqa: E402
from bench.prebuilt import START, page_sql, prebuild  # noqa: E402
from bench.serve import Server, floor  # noqa: E402
from bench.serve_floor import FORMATS, PAGE_SIZES, postgres_database, prebuilt_walk  # noqa: E402

FLASK_FLOOR = "bench.flask_page_app:app"

#: The bounds of a whole walk's window (Navette closes it at the first request).
WINDOW_END = datetime(2100, 1, 1)


def navette_statement(dialect) -> tuple[str, tuple[str, ...] | None]:
    """Navette's own page statement (a resumed page of ListRecords, a window with an
    end and no set), compiled for ``dialect``, and its parameters' order (qmark)."""
    from oai.repository import page_query

    compiled = page_query(True, False, True, False, True).compile(dialect=dialect)
    return compiled.string, compiled.positiontup


def navette_values(prefix: str, after: tuple, limit: int) -> dict[str, object]:
    return {
        "prefix": prefix,
        "format_word": f" {prefix} ",
        "end": WINDOW_END,
        "after_datestamp": after[0],
        "after_identifier": after[1],
        "limit": limit,
    }


def walk(execute, size: int, prefix: str, start, prebuilt: bool, key) -> tuple[int, float]:
    """Every page of the list, keyset after keyset: (records, seconds).  ``key`` reads
    the next page's keyset from Navette's last row as the database compares it."""
    after, count = (START if prebuilt else start), 0
    began = time.perf_counter()
    while True:
        if prebuilt:
            rows = execute((prefix, *after, size + 1))
        else:
            rows = execute(navette_values(prefix, after, size + 1))
        count += min(len(rows), size)
        if len(rows) <= size:
            return count, time.perf_counter() - began
        last = rows[size - 1]
        after = (last[1], last[2]) if prebuilt else key(last)


def walks(execute, navette_sql: str, prebuilt_sql: str, start, key) -> dict[tuple, tuple]:
    return {
        (prefix, size, prebuilt): walk(
            lambda v, sql=sql: execute(sql, v), size, prefix, start, prebuilt, key
        )
        for prebuilt, sql in ((False, navette_sql), (True, prebuilt_sql))
        for prefix in FORMATS
        for size in PAGE_SIZES
    }


def sqlite_walks(path: Path) -> dict[tuple, tuple]:
    from sqlalchemy.dialects import sqlite

    connection = sqlite3.connect(path)
    sql, order = navette_statement(sqlite.dialect())

    def execute(query: str, values) -> list:
        if isinstance(values, dict):
            stored = {**values, "end": values["end"].isoformat(" ")}
            # Unnamed: the OFFSET 0 SQLite's compiler writes after a bound LIMIT.
            values = tuple(stored.get(name, 0) for name in order)
        return connection.execute(query, values).fetchall()

    def key(row) -> tuple[str, str]:
        # SQLite keeps the datestamp as SQLAlchemy writes it: 'YYYY-MM-DD hh:mm:ss.000000'.
        return row[1][:10] + " " + row[1][11:19] + ".000000", row[0]

    return walks(execute, sql, page_sql("sqlite"), ("", ""), key)


def postgres_walks(url: str) -> dict[tuple, tuple]:
    import psycopg

    connection = psycopg.connect(url, autocommit=True)
    from sqlalchemy.dialects.postgresql import psycopg as dialect

    sql, _ = navette_statement(dialect.dialect())
    # In binary, as the provider asks for its pages (catalogue.database.BINARY_RESULTS).
    return walks(
        lambda q, v: connection.execute(q, v, binary=True).fetchall(),
        sql,
        page_sql("postgresql"),
        (datetime(1900, 1, 1), ""),
        lambda row: (datetime.fromisoformat(row[1][:-1]), row[0]),
    )


def floors(url: str, count: int, folder: Path) -> dict[tuple[str, int], tuple[float, float]]:
    """µs a record of the floor (``bench.serve.floor``) and of the floor with Flask and
    the tokens (``bench/flask_page_app.py``), for each format and page size: Navette's
    own first page, sent over and over, to the same client."""
    session = requests.Session()
    session.headers["Accept-Encoding"] = "identity"
    found = {}
    for prefix in FORMATS:
        for size in PAGE_SIZES:
            server = Server("navette.wsgi:app", {"NAVETTE_DATABASE_URL": url,
                                                 "NAVETTE_PAGE_SIZE": str(size)})  # fmt: skip
            try:
                first = {"verb": "ListRecords", "metadataPrefix": prefix}
                page = session.get(server.url, params=first, timeout=600).content
            finally:
                server.stop()
            bare = floor(session, folder, page, count, prefix)
            flask = floor(session, folder, page, count, prefix, target=FLASK_FLOOR)
            found[prefix, size] = (1e6 / bare, 1e6 / flask)
    return found


def prebuilt_walks(url: str, count: int) -> dict[tuple[str, int], float]:
    """µs a record of a full walk over HTTP of ``bench/prebuilt_page_app.py`` (Flask,
    tokens, envelope, records read whole from ``listing``), for each format and size."""
    session = requests.Session()
    session.headers["Accept-Encoding"] = "identity"
    return {
        (prefix, size): 1e6 / prebuilt_walk(session, url, count, prefix, size)
        for prefix in FORMATS
        for size in PAGE_SIZES
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "budget.db"
        url = f"sqlite:///{path}"
        fill(url, args.records, prefixes=FORMATS).kw["bind"].dispose()
        floor_us = floors(url, args.records, Path(folder))
        prebuild(url)
        results["SQLite"] = sqlite_walks(path)
        over_http = prebuilt_walks(url, args.records)
    if args.postgres:
        url, drop = postgres_database(args.postgres)
        try:
            fill(url, args.records, prefixes=FORMATS).kw["bind"].dispose()
            prebuild(url)
            results["PostgreSQL"] = postgres_walks(url)
        finally:
            drop()
    print(f"({args.records} records; µs a record; the budget is what 0.7x of the floor leaves "
          "Navette once the floor's own cost is paid: floor × (1/0.7 − 1); the room is "
          "what it leaves once Flask and the tokens are paid too: floor / 0.7 − "
          "Flask+tokens)")  # fmt: skip
    print("| database | format | page | floor | Flask+tokens | budget at 0.7x | room for the "
          "read and the headers | Navette's query | prebuilt |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for database, found in results.items():
        for (prefix, size, prebuilt), (count, _) in found.items():
            if count != args.records:
                raise RuntimeError(f"{database} {prefix} {size}: {count} of {args.records}")
            if prebuilt:
                continue
            ours = found[prefix, size, False][1] / count * 1e6
            cheapest = found[prefix, size, True][1] / count * 1e6
            base, flask = floor_us[prefix, size]
            print(f"| {database} | {prefix} | {size} | {base:.1f} | {flask:.1f} | "
                  f"{base * (1 / 0.7 - 1):.1f} | {base / 0.7 - flask:.1f} | {ours:.1f} | "
                  f"{cheapest:.1f} |")  # fmt: skip
    print()
    print("The prebuilt layout served over HTTP (bench/prebuilt_page_app.py), SQLite:")
    print("| format | page | floor µs | prebuilt Navette µs | its ratio to the floor |")
    print("|---|---|---|---|---|")
    for (prefix, size), spent in over_http.items():
        base = floor_us[prefix, size][0]
        print(f"| {prefix} | {size} | {base:.1f} | {spent:.1f} | {base / spent:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
