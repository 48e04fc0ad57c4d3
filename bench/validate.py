"""Validating exports: records/s of EBUCore validation, fast path and detailed, one worker
and several.

    python bench/validate.py [--records 100000] [--detailed 2000] [--workers 2]

Writes ``--records`` EBUCore documents (a thousand generated films, repeated) into a
ZIP archive, then in one run measures ``navette validate``'s machinery:
* the lxml fast path over all of them, with one worker and with ``--workers``;
* the detailed path (xmlschema: line, XPath, reason for every problem), which
  ``navette validate`` runs only on failing documents, over ``--detailed`` of them,
  with one worker and with ``--workers``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from bench.wiring import configure_schemas  # noqa: E402
from checks.files import validate_paths  # noqa: E402
from mappings.formats import render  # noqa: E402
from schemas import validators  # noqa: E402
from tests.generated import generate  # noqa: E402


def detailed(xml: bytes) -> int:
    return len(validators.detailed_problems(etree.fromstring(xml), "ebucore"))


def rate(label: str, count: int, action) -> float:
    start = time.perf_counter()
    action()
    per_second = count / (time.perf_counter() - start)
    print(f"{label:<48} {per_second:10.0f} records/s", flush=True)
    return per_second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--detailed", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    configure_schemas()
    documents = [render(r, "ebucore").encode() for r in generate(1000, seed=5)]
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "export.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
            for n in range(args.records):
                out.writestr(f"ebucore/{n:07d}.xml", documents[n % len(documents)])

        def fast(workers: int):
            outcomes = list(validate_paths([archive], "ebucore", workers))
            assert len(outcomes) == args.records and all(o.valid for o in outcomes)

        one = rate("fast path (lxml), 1 worker", args.records, lambda: fast(1))
        many = rate(
            f"fast path (lxml), {args.workers} workers", args.records, lambda: fast(args.workers)
        )
        sample = [documents[n % len(documents)] for n in range(args.detailed)]
        slow_one = rate(
            "detailed (xmlschema), 1 worker", args.detailed, lambda: [detailed(d) for d in sample]
        )
        with ProcessPoolExecutor(args.workers) as pool:
            slow_many = rate(
                f"detailed (xmlschema), {args.workers} workers",
                args.detailed,
                lambda: list(pool.map(detailed, sample, chunksize=50)),
            )
    print()
    print("| path | 1 worker | workers | parallel speed-up |")
    print("|---|---|---|---|")
    print(f"| fast (lxml) | {one:.0f} | {many:.0f} ({args.workers}) | {many / one:.2f}x |")
    print(
        f"| detailed (xmlschema) | {slow_one:.0f} | {slow_many:.0f} ({args.workers}) | "
        f"{slow_many / slow_one:.2f}x |"
    )
    print(f"fast / detailed, 1 worker = {one / slow_one:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
