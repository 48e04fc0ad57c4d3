"""Where a walk's time goes, process by process: the CPU each one used during it.

    python bench/walk_cpu.py [--records 100000] [--postgres URL] [--prefix oai_dc]
                             [--size 100] [--pages 500] [--rounds 3] [--encoding gzip]

On two cores a walk over HTTP is three processes taking turns and sharing them: the
client, the server's worker and, on PostgreSQL, the database's backend.  For Navette
(gunicorn, one sync worker, the next page read ahead) and for the bare Flask floor
(``bench/bare_flask_page_app.py`` sending Navette's first page), in rounds alternated,
this prints the walk's wall time beside the CPU of the worker (``/proc/<pid>/stat``),
of PostgreSQL's backends serving the store (found in ``pg_stat_activity``) and of the
client (this process).  CPU near the wall: that process sets the pace; the sum of all
near twice the wall: the cores do.  ``--encoding gzip`` walks as requests and httpx
do by default (Sickle, oaipmh-scythe): Navette compresses every page, the floor sends
its page as it is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill  # noqa: E402
from bench.processes import cpu_seconds  # noqa: E402
from bench.serve import TOKEN, Server  # noqa: E402
from bench.serve_floor import postgres_database  # noqa: E402
from catalogue.database import make_engine  # noqa: E402


def backends(url: str | None) -> list[int]:
    """The PostgreSQL backends connected to the store's database (none for SQLite)."""
    if url is None:
        return []
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return list(connection.execute(query).scalars())
    finally:
        engine.dispose()


def walk(session: requests.Session, url: str, prefix: str, pages: int) -> None:
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    for _ in range(pages):
        found = TOKEN.search(session.get(url, params=params, timeout=600).content)
        if found is None:
            return
        params = {"verb": "ListRecords", "resumptionToken": found[1].decode()}


def measured(
    server: Server, database: str | None, prefix: str, pages: int, encoding: str = "identity"
) -> dict:
    session = requests.Session()
    session.headers["Accept-Encoding"] = encoding
    walk(session, server.url, prefix, 3)  # connections made, caches warm
    worker, pids = server.workers()[0], backends(database)
    before = {pid: cpu_seconds(pid) for pid in [worker, *pids]}
    client, start = time.process_time(), time.perf_counter()
    walk(session, server.url, prefix, pages)
    wall, client = time.perf_counter() - start, time.process_time() - client
    used = {pid: cpu_seconds(pid) - seconds for pid, seconds in before.items()}
    return {
        "wall": wall,
        "worker": used.pop(worker),
        "database": sum(used.values()),
        "client": client,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--prefix", default="oai_dc")
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--encoding", default="identity", help="Accept-Encoding: gzip, deflate")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        stores = [("SQLite", f"sqlite:///{Path(folder) / 'walk.db'}", None, lambda: None)]
        if args.postgres:
            url, drop = postgres_database(args.postgres)
            stores.append(("PostgreSQL", url, url, drop))
        for name, url, database, drop in stores:
            try:
                print(f"filling {name} with {args.records} records ...", flush=True)
                fill(url, args.records, prefixes=(args.prefix,)).kw["bind"].dispose()
                env = {
                    "NAVETTE_DATABASE_URL": url,
                    "NAVETTE_PAGE_SIZE": str(args.size),
                    "NAVETTE_READ_AHEAD": "on",
                }
                navette = Server("navette.wsgi:app", env)
                page_file = Path(folder) / "page.xml"
                first = {"verb": "ListRecords", "metadataPrefix": args.prefix}
                page_file.write_bytes(requests.get(navette.url, params=first).content)
                floor = Server(
                    "bench.bare_flask_page_app:app",
                    {"BENCH_PAGE": str(page_file), "BENCH_PAGES": str(10 * args.pages)},
                )
                try:
                    for _ in range(args.rounds):
                        floor_walk = measured(floor, None, args.prefix, args.pages, args.encoding)
                        rows.append((name, "floor", floor_walk))
                        navette_walk = measured(
                            navette, database, args.prefix, args.pages, args.encoding
                        )
                        rows.append((name, "Navette", navette_walk))
                finally:
                    navette.stop()
                    floor.stop()
            finally:
                drop()
    print()
    walked = (
        f"{args.pages} pages of {args.size}, {args.prefix}, {args.records} records, "
        f"Accept-Encoding: {args.encoding}"
    )
    print(f"| store | server | wall s | worker CPU s | database CPU s | client CPU s | ({walked})")
    print("|---|---|---|---|---|---|")
    for name, server, figures in rows:
        print(
            f"| {name} | {server} | {figures['wall']:.2f} | {figures['worker']:.2f} | "
            f"{figures['database']:.2f} | {figures['client']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
