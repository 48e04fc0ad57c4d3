"""What a list page costs in instructions: a count that the machine's noise does not move.

    python bench/page_instructions.py [--records 100000] [--store URL] [--prefix oai_dc]
                                      [--size 100] [--pages 200]

Timings on these machines move by 15-30 % between runs, more than most changes to a
page's code make.  This counts the instructions instead (valgrind's callgrind, which
counts rather than samples): Navette's app, created in process, walks ListRecords
through its WSGI callable with no server and no client, in two processes that differ
only in the length of their walk; the difference, divided by ``--pages``, is what one
resumed page costs.  Two runs of the same code agree to a few instructions in ten thousand,
so a change of 1 % shows.  Read-ahead is off: the walk reads each page when asked.

It counts the interpreter's and the libraries' instructions, not the kernel's: what
a page costs in system calls and page faults does not show here (the HTTP benchmarks
show it), and a plain C loop (encoding text, copying it) weighs more in instructions
than in time.  Compare two versions of the code on the same store, one after the other.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import fill  # noqa: E402
from bench.wiring import configure_schemas  # noqa: E402

WARM_UP = 20

WALK = """
import sys
from urllib.parse import quote
from bench.serve import TOKEN
from navette.app import create_app

app = create_app()
prefix, pages, warm_up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def get(query):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/oai", "QUERY_STRING": query,
        "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
        "HTTP_ACCEPT_ENCODING": "identity", "wsgi.url_scheme": "http",
        "wsgi.input": None, "wsgi.errors": sys.stderr,
    }
    return b"".join(app(environ, lambda status, headers, info=None: None))


def walk(count):
    query = "verb=ListRecords&metadataPrefix=" + prefix
    for _ in range(count):
        body = get(query)
        # From the token on: a search of the whole page would count as much as a page.
        found = TOKEN.search(body, max(body.rfind(b"<resumptionToken"), 0))
        if found is None:
            raise SystemExit("the list ended before the walk did: fill more records")
        query = "verb=ListRecords&resumptionToken=" + quote(found[1].decode())


walk(warm_up)
walk(pages)
"""


def instructions(store: str, prefix: str, size: int, pages: int) -> int:
    """Every instruction of one process that starts the app, walks the warm-up pages,
    then walks ``pages`` pages from the list's start."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "0",
        "NAVETTE_DATABASE_URL": store,
        "NAVETTE_PAGE_SIZE": str(size),
        "NAVETTE_READ_AHEAD": "off",
    }
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-c",
        WALK,
        prefix,
        str(pages),
        str(WARM_UP),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind reported no count:\n{done.stderr[-2000:]}")
    return int(found[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--store", default=None, help="an existing store (else one is filled)")
    parser.add_argument("--prefix", default="oai_dc")
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    configure_schemas()
    with tempfile.TemporaryDirectory() as folder:
        store = args.store
        if store is None:
            store = f"sqlite:///{Path(folder) / 'pages.db'}"
            print(f"filling a store with {args.records} records ...", flush=True)
            fill(store, args.records, prefixes=("oai_dc", "ebucore")).kw["bind"].dispose()
        # Both walks begin with a first page, which counts the list: the difference
        # is ``--pages`` resumed pages.
        shorter = instructions(store, args.prefix, args.size, WARM_UP)
        longer = instructions(store, args.prefix, args.size, WARM_UP + args.pages)
    per_page = (longer - shorter) / args.pages
    print(
        f"{args.prefix}, {args.size} a page: {per_page:,.0f} instructions a page "
        f"({args.pages} resumed pages, after {WARM_UP} to warm up)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
