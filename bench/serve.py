"""OAI-PMH serving: Navette against pyoai's server, over HTTP, on the same records.

    python bench/serve.py [--records 100000] [--big 1000000]

In one run:
* records/s of a full ListRecords (oai_dc) harvest of ``--records`` records, for
  Navette and for pyoai's ``BatchingServer`` (oaipmh 4.x) answering from the
  same SQLite store (``bench/pyoai_app.py``); both under gunicorn, one sync
  worker each, harvested by the same client (requests + lxml);
* first-page and deepest-page latency (median of 7) at ``--records`` and at
  ``--big`` records, for both servers;
* the peak memory (VmHWM) of each server's worker after its harvest;
* the harness floor: the same client harvesting ``bench/static_page_app.py``, which
  sends Navette's first page over and over without doing any work.
Figures are printed as a table with the ratios the targets are stated in.

The ratios to the floor on both databases, both formats and both page sizes (issue 15)
are ``bench/serve_floor.py``'s; why they stop where they do, ``bench/serve_budget.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import requests
from sqlalchemy import create_engine, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill, last_key  # noqa: E402
from catalogue.tables import Setting  # noqa: E402
from oai.tokens import Tokens  # noqa: E402
from protocol.dates import format_datestamp  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, target: str, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/oai"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            "1",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "600",
            "--limit-request-line",
            "0",
            target,
        ]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # A partner of a million recorded records takes minutes to load its feed.
        deadline = time.monotonic() + 900
        while True:
            try:
                requests.get(self.url, params={"verb": "Identify"}, timeout=60)
                return
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"{target} did not start") from None
                time.sleep(0.2)

    def workers(self) -> list[int]:
        """The pids of gunicorn's worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_memory_mb(self) -> float:
        peaks = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def harvest(session: requests.Session, url: str, prefix: str = "oai_dc") -> tuple[int, float]:
    """A full harvest by a deliberately thin client (count records, find the token), so
    the figure is the servers' and not the client's."""
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    count = 0
    start = time.perf_counter()
    while True:
        body = session.get(url, params=params, timeout=600).content
        count += body.count(b"<record>") + body.count(b"<record ")
        token = TOKEN.search(body)
        if token is None:
            break
        params = {"verb": "ListRecords", "resumptionToken": token.group(1).decode()}
    return count, time.perf_counter() - start


def latency(session: requests.Session, url: str, params: dict, times: int = 7) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        response = session.get(url, params=params, timeout=600)
        samples.append(time.perf_counter() - start)
        assert b"<record" in response.content, response.content[:500]
    return statistics.median(samples) * 1000


def deep_token(url: str, count: int, prefix: str = "oai_dc", size: int = 100) -> str:
    """The token of the last page of a walk, signed with the store's own key."""
    engine = create_engine(url)
    with engine.connect() as connection:
        secret = connection.scalar(select(Setting.value).where(Setting.name == "oai-token-key"))
    engine.dispose()
    datestamp, identifier = last_key(count, size)
    state = {
        "p": prefix,
        "s": None,
        "f": None,
        "u": "2100-01-01T00:00:00Z",
        "d": format_datestamp(datestamp),
        "i": identifier,
        "c": count - size,
        "n": count,
    }
    return Tokens(secret, 3600).issue("ListRecords", state).token


def pyoai_deep_token(count: int) -> str:
    return quote(urlencode({"metadataPrefix": "oai_dc", "cursor": str(count - 100)}))


def measure(count: int, folder: Path, full_harvest: bool) -> dict[str, float]:
    database = folder / f"bench-{count}.db"
    print(f"filling a store with {count} records ...", flush=True)
    sessions = fill(f"sqlite:///{database}", count)
    sessions.kw["bind"].dispose()
    figures: dict[str, float] = {}
    session = requests.Session()
    session.headers["Accept-Encoding"] = "identity"
    for name, target, env in (
        (
            "navette",
            "navette.wsgi:app",
            {"NAVETTE_DATABASE_URL": f"sqlite:///{database}", "NAVETTE_PAGE_SIZE": "100"},
        ),
        ("pyoai", "bench.pyoai_app:app", {"BENCH_DATABASE": str(database)}),
    ):
        server = Server(target, env)
        try:
            if full_harvest:
                harvested, seconds = harvest(session, server.url)
                assert harvested == count, (name, harvested)
                figures[f"{name} records/s"] = harvested / seconds
            figures[f"{name} first page ms"] = latency(
                session, server.url, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
            )
            token = (
                deep_token(f"sqlite:///{database}", count)
                if name == "navette"
                else (pyoai_deep_token(count))
            )
            figures[f"{name} deepest page ms"] = latency(
                session, server.url, {"verb": "ListRecords", "resumptionToken": token}
            )
            figures[f"{name} peak MB"] = server.peak_memory_mb()
            if full_harvest and name == "navette":
                first_page = session.get(
                    server.url, params={"verb": "ListRecords", "metadataPrefix": "oai_dc"}
                ).content
        finally:
            server.stop()
    if full_harvest:
        figures["floor records/s"] = floor(session, folder, first_page, count)
    database.unlink()
    return figures


def floor(
    session: requests.Session,
    folder: Path,
    page: bytes,
    count: int,
    prefix: str = "oai_dc",
    target: str = "bench.static_page_app:app",
) -> float:
    """records/s of the harness alone: ``bench.static_page_app`` sending Navette's first
    page, as many times as a full harvest of ``count`` records takes, to the same client
    (``target``: another app sending it, such as ``bench.flask_page_app``)."""
    page_file = folder / "page.xml"
    page_file.write_bytes(page)
    per_page = page.count(b"<record>") + page.count(b"<record ")
    env = {"BENCH_PAGE": str(page_file), "BENCH_PAGES": str(count // per_page)}
    server = Server(target, env)
    try:
        harvested, seconds = harvest(session, server.url, prefix)
    finally:
        server.stop()
    return harvested / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = measure(args.records, Path(folder), full_harvest=True)
        big = measure(args.big, Path(folder), full_harvest=False)
    print()
    print("| measure | Navette | pyoai BatchingServer | ratio |")
    print("|---|---|---|---|")
    rate_n, rate_p = small["navette records/s"], small["pyoai records/s"]
    print(
        f"| ListRecords harvest, {args.records} records, records/s | {rate_n:.0f} | "
        f"{rate_p:.0f} | Navette {rate_n / rate_p:.1f}x |"
    )
    floor_rate = small["floor records/s"]
    print(
        f"| harness floor (an app that sends a prebuilt page), records/s | {floor_rate:.0f} | "
        f"| floor {floor_rate / rate_p:.1f}x pyoai |"
    )
    for figures, size in ((small, args.records), (big, args.big)):
        for what in ("first page ms", "deepest page ms", "peak MB"):
            n, p = figures[f"navette {what}"], figures[f"pyoai {what}"]
            print(f"| {what} at {size} | {n:.1f} | {p:.1f} | {n / p:.2f} |")
    print()
    print(
        f"Navette deepest/first page at {args.records}: "
        f"{small['navette deepest page ms'] / small['navette first page ms']:.2f}x; "
        f"at {args.big}: {big['navette deepest page ms'] / big['navette first page ms']:.2f}x"
    )
    print(
        f"Navette peak memory {args.big} / {args.records}: "
        f"{big['navette peak MB'] / small['navette peak MB']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
