"""Serving against the floor: Navette's full ListRecords walk over what a server that does
no work at all achieves on the same machine, with the same client.

    python bench/serve_floor.py [--records 100000] [--postgres URL]

For each database (SQLite; PostgreSQL too with ``--postgres``, a server URL whose
database this script may create others beside), each format (oai_dc, EBUCore) and each
page size (100, 1000), in one run:
* records/s of a full walk of Navette under gunicorn (one sync worker), reading each
  list's next page ahead (NAVETTE_READ_AHEAD=on: one process answers every request,
  as under `navette serve`), and again without (as behind several worker processes);
* records/s of the floor: ``bench/static_page_app.py`` sending Navette's own first page
  of that walk over and over, to the same client, under the same gunicorn;
* the floor as issue 15 names it, the same page "behind a bare Flask view"
  (``bench/bare_flask_page_app.py``: Flask's routing and response, nothing of Navette's),
  and Navette's ratio to it (the target is 0.7) beside its ratio to the bare WSGI floor;
* the floor of a store on that database (issue 33): the same pages pre-built, one
  ``<record>`` a row (``bench/prebuilt.py``), read through the same driver (sqlite3,
  psycopg) behind a Flask view that signs the tokens as Navette does
  (``bench/prebuilt_page_app.py``), and Navette's ratio to it (the target on
  PostgreSQL is 0.8): the software's own cost, once the database's is paid by both;
* the first and the deepest page's latency (median of 7) and the worker's peak memory;
* the ceiling: the same page sent by ``bench/flask_page_app.py``, a Flask view that reads
  and signs resumption tokens as Navette does under its response hook, and its ratio to
  the floor: what Navette would reach if its page read and headers cost nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill  # noqa: E402
from bench.prebuilt import prebuild  # noqa: E402
from bench.serve import TOKEN, Server, deep_token, floor, harvest, latency  # noqa: E402
from catalogue.database import normalise_url  # noqa: E402

FORMATS = ("oai_dc", "ebucore")
PAGE_SIZES = (100, 1000)


def walk_one(url: str, count: int, prefix: str, size: int, folder: Path) -> dict[str, float]:
    session = requests.Session()
    session.headers["Accept-Encoding"] = "identity"
    env = {"NAVETTE_DATABASE_URL": url, "NAVETTE_PAGE_SIZE": str(size)}
    plain = Server("navette.wsgi:app", {**env, "NAVETTE_READ_AHEAD": "off"})
    try:
        figures = {"plain": navette_walk(session, plain, count, prefix)}
    finally:
        plain.stop()
    server = Server("navette.wsgi:app", {**env, "NAVETTE_READ_AHEAD": "on"})
    try:
        figures["navette"] = navette_walk(session, server, count, prefix)
        first = {"verb": "ListRecords", "metadataPrefix": prefix}
        first_page = session.get(server.url, params=first).content
        if TOKEN.search(first_page) is None:
            raise RuntimeError("the first page has no resumption token")
        figures["first ms"] = latency(session, server.url, first)
        figures["deepest ms"] = latency(
            session,
            server.url,
            {"verb": "ListRecords", "resumptionToken": deep_token(url, count, prefix, size)},
        )
        figures["peak MB"] = server.peak_memory_mb()
    finally:
        server.stop()
    figures["floor"] = floor(session, folder, first_page, count, prefix)
    figures["bare flask"] = floor(
        session, folder, first_page, count, prefix, target="bench.bare_flask_page_app:app"
    )
    figures["flask"] = floor(
        session, folder, first_page, count, prefix, target="bench.flask_page_app:app"
    )
    figures["prebuilt"] = prebuilt_walk(session, url, count, prefix, size)
    return figures


def prebuilt_walk(session: requests.Session, url: str, count: int, prefix: str, size: int) -> float:
    """Records/s of a full walk of the store's prebuilt ``listing``, served by
    ``bench/prebuilt_page_app.py``."""
    database = url.removeprefix("sqlite:///")
    env = {"BENCH_DATABASE": database, "NAVETTE_PAGE_SIZE": str(size)}
    server = Server("bench.prebuilt_page_app:app", env)
    try:
        harvested, seconds = harvest(session, server.url, prefix)
    finally:
        server.stop()
    if harvested != count:
        raise RuntimeError(f"prebuilt {prefix} {size}: {harvested} records of {count}")
    return harvested / seconds


def navette_walk(session: requests.Session, server: Server, count: int, prefix: str) -> float:
    """Records/s of a full ListRecords walk of Navette, every record listed."""
    harvested, seconds = harvest(session, server.url, prefix)
    if harvested != count:
        raise RuntimeError(f"{prefix}: {harvested} records listed of {count}")
    return harvested / seconds


def postgres_database(server_url: str) -> tuple[str, callable]:
    """A new database on the server, and how to drop it."""
    name = f"navette_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server_url.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def filled_stores(
    folder: Path,
    records: int,
    postgres: str | None,
    name: str,
    prebuilt: bool = False,
    **options,
) -> Iterator[tuple[str, str]]:
    """(store, URL) of each store measured, SQLite in ``folder`` and, given a server, a
    new PostgreSQL database; each filled with ``records`` generated records (``fill``'s
    ``options``), with the prebuilt ``listing`` beside if asked, before it is yielded,
    and a database dropped once it is done with."""
    stores = [("SQLite", f"sqlite:///{folder / name}", lambda: None)]
    if postgres:
        stores.append(("PostgreSQL", *postgres_database(postgres)))
    for store, url, drop in stores:
        try:
            print(f"filling {store} with {records} records ...", flush=True)
            fill(url, records, **options).kw["bind"].dispose()
            if prebuilt:
                prebuild(url)
            yield store, url
        finally:
            drop()


def store_arguments(description: str | None) -> argparse.Namespace:
    """--records and --postgres, which every benchmark over filled stores takes, and
    --filled, a store filled by an earlier run, measured as it is."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--postgres", default=None, help="e.g. postgresql://postgres@127.0.0.1/test"
    )
    parser.add_argument("--filled", default=None, help="a store's URL, filled already")
    return parser.parse_args()


def main() -> int:
    args = store_arguments(__doc__)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        stores = filled_stores(
            Path(folder), args.records, args.postgres, "serve.db", prebuilt=True,
            prefixes=FORMATS,
        )  # fmt: skip
        for name, url in stores:
            for prefix in FORMATS:
                for size in PAGE_SIZES:
                    figures = walk_one(url, args.records, prefix, size, Path(folder))
                    rows.append((name, prefix, size, figures))
                    print(name, prefix, size, {k: round(v, 1) for k, v in figures.items()},
                          flush=True)  # fmt: skip
    print()
    print(f"| database | format | page | Navette rec/s | bare Flask floor rec/s | ratio | "
          f"prebuilt floor rec/s | ratio | "
          f"WSGI floor rec/s | ratio | no read-ahead rec/s | ratio to bare Flask | "
          f"Flask+tokens rec/s | its ratio to WSGI | first ms | deepest ms | deepest/first | "
          f"peak MB |  ({args.records} records)")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, prefix, size, f in rows:
        print(
            f"| {name} | {prefix} | {size} | {f['navette']:.0f} | {f['bare flask']:.0f} | "
            f"{f['navette'] / f['bare flask']:.2f}x | {f['prebuilt']:.0f} | "
            f"{f['navette'] / f['prebuilt']:.2f}x | {f['floor']:.0f} | "
            f"{f['navette'] / f['floor']:.2f}x | {f['plain']:.0f} | "
            f"{f['plain'] / f['bare flask']:.2f}x | {f['flask']:.0f} | "
            f"{f['flask'] / f['floor']:.2f}x | {f['first ms']:.1f} | {f['deepest ms']:.1f} | "
            f"{f['deepest ms'] / f['first ms']:.2f} | {f['peak MB']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
