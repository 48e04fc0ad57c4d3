"""The public catalogue at scale: a search, a facet click, the whole list and a landing
page, answered by the app (its Flask test client: no network), each timed many times,
with the p50 and p95 of their answers, against the floor of a bare reading of the same
index (the words' matches, as the store joins them, nothing else).

    python bench/search.py [--records 100000] [--postgres URL]
    python bench/search.py --records 1000000 --filled URL   # a store bench.bulk filled

The target (issue 32): < 50 ms p95 for a search, a facet click and a landing page at
1,000,000 records on both stores.  Times vary between machines; read the ratios.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve_floor import filled_stores, store_arguments  # noqa: E402
from catalogue import search  # noqa: E402
from catalogue.browse_index import RecentSearches  # noqa: E402
from catalogue.full_text import FullText  # noqa: E402
from navette.app import close_app, create_app  # noqa: E402
from navette.config import Settings  # noqa: E402

TIMES = 30
CASES = {
    "search, one word": "/records?q=memory",
    "search, two words": "/records?q=coral+reefs",
    "facet click (words and a decade)": "/records?q=memory&decade=2010s",
    "facet click, no words": "/records?subject=Biology",
    "the whole list": "/records",
    "sorted by year, a word": "/records?q=memory&sort=year",
    "landing page": "/records/film-{middle:07d}",
}
#: Asked as a visitor types them, the words not searched for before: the matches kept
#: of recent searches (``RecentSearches``) are forgotten before each.  The others follow
#: a search of the same words, as a facet click or a sort does.
TYPED = {"search, one word", "search, two words"}


def timed(action, times: int = TIMES) -> tuple[float, float]:
    """p50 and p95 in milliseconds, after three answers to warm caches."""
    for _ in range(3):
        action()
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def bare_query(sessions, words: str):
    """The floor: the word index alone, as the search reads it (each word's matches and
    those its titles hold, joined by the store), nothing parsed, ranked or paged."""

    def run() -> None:
        with sessions() as session:
            index = FullText.of(session, search.words(words))
            for forms in index.forms:
                session.execute(index.holders(forms)).one()

    return run


def held_bytes(bitmaps) -> int:
    """What the bitmaps hold (each serialised, about its size in memory) and the sort
    orders' arrays."""
    facets = (held for by_value in bitmaps.facets.values() for named in by_value.values()
              for held in named.values())  # fmt: skip
    every = [bitmaps.live, *bitmaps.sets.values(), *facets]
    orders = sum(
        len(order.ids) * order.ids.itemsize + len(order.places) * order.places.itemsize
        for order in bitmaps.orders.values()
    )
    return sum(len(bitmap.serialize()) for bitmap in every) + orders


def measure(url: str, records: int) -> list[tuple[str, float, float, float | None]]:
    app = create_app(Settings(database_url=url, secret_key="bench", usage_days=0))
    client = app.test_client()
    sessions = app.extensions["navette.sessions"]
    # The facet bitmaps are read in the background after start-up and after each change;
    # read here at once, and timed: lists are counted in SQL until they are.
    started = time.perf_counter()
    bitmaps = app.extensions["navette.browse"].refresh()
    read = (time.perf_counter() - started) * 1000
    print(f"the facet bitmaps hold {held_bytes(bitmaps) / 1e6:.1f} MB", flush=True)
    floor = dict(
        (words, timed(bare_query(sessions, words))[1]) for words in ("memory", "coral reefs")
    )
    rows = [("facet bitmaps read (once per change)", read, read, None)]
    try:
        for name, address in CASES.items():
            path = address.format(middle=records // 2)
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path} did not answer 200")
            forget = name in TYPED

            def ask(path=path, forget=forget):
                if forget:
                    bitmaps.searched = RecentSearches()
                client.get(path)

            p50, p95 = timed(ask)
            words = "coral reefs" if "coral" in path else "memory" if "memory" in path else None
            rows.append((name, p50, p95, p95 / floor[words] if words else None))
    finally:
        close_app(app)
    return rows


def main() -> int:
    args = store_arguments(__doc__)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        stores = (
            [("PostgreSQL" if args.filled.startswith("postgresql") else "SQLite", args.filled)]
            if args.filled
            else filled_stores(Path(folder), args.records, args.postgres, "search.db")
        )
        for name, url in stores:
            for row in measure(url, args.records):
                results.append((name, *row))
                print(name, row, flush=True)
    print(f"\n| store | request ({args.records} records) | p50 ms | p95 ms | p95 / bare query |")
    print("|---|---|---|---|---|")
    for store, case, p50, p95, ratio in results:
        said = f"{ratio:.1f}" if ratio else "–"
        print(f"| {store} | {case} | {p50:.1f} | {p95:.1f} | {said} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
