"""ResourceSync at scale: the time and peak memory to produce a whole Resource List and
Change List (the index and every page, as the app answers them: its Flask test client,
no network) and a Resource Dump (``navette dump``'s work), each in a process of its own,
against the floor of the same rows read bare from the same store (and, for the dump,
written into a ZIP bare, without a manifest).

    python bench/resourcesync.py [--records 100000] [--postgres URL]

Times vary between machines; read the ratios, and the memory beside the record count.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from sqlalchemy import and_, select  # noqa: E402

from bench.serve_floor import filled_stores, store_arguments  # noqa: E402
from catalogue.database import open_store  # noqa: E402
from catalogue.tables import RecordRow, Rendering  # noqa: E402
from protocol.namespaces import SITEMAPS  # noqa: E402
from resourcesync.dumps import PER_PACKAGE  # noqa: E402

PREFIX = "oai_dc"
SITE = "https://films.example.org"


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: getrusage's maxrss would carry the
    parent's peak over into a spawned child)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _settings(url: str, folder: str):
    from navette.config import Settings

    return Settings(database_url=url, secret_key="k", public_url=SITE, dump_dir=folder)


def walk_list(url: str, folder: str, name: str) -> tuple[float, float, int]:
    """The whole list (index and pages) as a destination reads it: seconds, MB, URLs."""
    from navette.app import close_app, create_app

    app = create_app(_settings(url, folder))
    client = app.test_client()
    started = time.perf_counter()
    index = etree.fromstring(client.get(f"/resourcesync/{PREFIX}/{name}.xml").data)
    if index.tag == f"{{{SITEMAPS}}}urlset":
        pages, urls = [], len(index.findall(f"{{{SITEMAPS}}}url"))
    else:
        pages, urls = [loc.text for loc in index.iter(f"{{{SITEMAPS}}}loc")], 0
    for page in pages:
        answer = client.get(urlsplit(page).path)
        urls += answer.get_data().count(b"<url>")
    spent = time.perf_counter() - started
    close_app(app)
    return spent, _peak_mb(), urls


def bare_read(url: str, folder: str, into_zip: bool) -> tuple[float, float, int]:
    """The floor: the same rows streamed from the store and hashed (or zipped)."""
    sessions = open_store(url)
    started = time.perf_counter()
    query = (
        select(RecordRow.identifier, RecordRow.datestamp, Rendering.xml)
        .join(Rendering, and_(Rendering.record_id == RecordRow.id, Rendering.prefix == PREFIX))
        .where(RecordRow.deleted.is_(False))
        .order_by(RecordRow.id)
        .execution_options(yield_per=500)
    )
    count = 0
    with sessions() as session:
        if into_zip:
            # In packages of the dump's size, as the dump is (a ZIP holds an entry in
            # memory per member until it is closed).
            package = None
            for identifier, _, xml in session.execute(query):
                if count % PER_PACKAGE == 0:
                    if package is not None:
                        package.close()
                    target = Path(folder) / f"bare-{count // PER_PACKAGE}.zip"
                    package = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
                package.writestr(f"resources/{identifier}.xml", xml.encode("utf-8"))
                count += 1
            if package is not None:
                package.close()
        else:
            for _, _, xml in session.execute(query):
                hashlib.sha256(xml.encode("utf-8")).hexdigest()
                count += 1
    spent = time.perf_counter() - started
    sessions.kw["bind"].dispose()
    return spent, _peak_mb(), count


def make_dump(url: str, folder: str) -> tuple[float, float, int]:
    from resourcesync.refresh import make_dumps

    settings = _settings(url, folder)
    sessions = open_store(url)
    started = time.perf_counter()
    (made,) = make_dumps(settings, sessions, [PREFIX])
    spent = time.perf_counter() - started
    sessions.kw["bind"].dispose()
    return spent, _peak_mb(), made.resources


def _alone(function, *args) -> tuple[float, float, int]:
    """``function`` in a process of its own, so its peak memory is its own."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> int:
    args = store_arguments(__doc__)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        stores = (
            [("filled", args.filled)]
            if args.filled
            else filled_stores(Path(folder), args.records, args.postgres, "rs.db")
        )
        for store, url in stores:
            cases = {
                "Resource List": (_alone(walk_list, url, folder, "resourcelist"), False),
                "Change List": (_alone(walk_list, url, folder, "changelist"), False),
                "Resource Dump": (_alone(make_dump, url, folder), True),
            }
            for case, (measured, zipped) in cases.items():
                floor = _alone(bare_read, url, folder, zipped)
                rows.append((store, case, measured, floor))
                print(store, case, measured, floor, flush=True)
            size = sum(path.stat().st_size for path in Path(folder).glob(f"{PREFIX}-*/*.zip"))
            print(f"{store}: the dump is {size / 1e6:.0f} MB", flush=True)
    print()
    print(
        "| database | document | records | seconds | records/s | peak MB | floor seconds "
        "| floor/Navette | floor peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for store, case, (spent, peak, count), (floor, floor_peak, _) in rows:
        print(
            f"| {store} | {case} | {count:,} | {spent:.1f} | {count / spent:,.0f} | {peak:.0f} "
            f"| {floor:.1f} | {floor / spent:.2f} | {floor_peak:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
