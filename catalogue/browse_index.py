"""The catalogue's facets and sets held in memory as compressed bitmaps of record ids,
with each record's place in the title and year orders, to count a list and its facets
and to order a page of it without reading a row per record found.

Counted in SQL, the facets of a search read every facet row of every record found (some
fifteen a record): 126 ms for the 2,400 records a word finds among 100,000, and ten
times that at a million.  A bitmap per facet value counts by intersection instead, in
microseconds whatever the number found (``pyroaring``, the Roaring bitmaps that Lucene,
Druid and ClickHouse count with).

The bitmaps are read from the store in one statement, with the catalogue's version, and
used only while that version holds: it moves with every change to a record row
(migration 0014); asked only when something was committed since (``CommitWatch``), it
costs nothing while the store is still.  A list asked for once the catalogue changed is
counted in SQL as before, exactly, while the bitmaps are read again in the background:
a count is never stale, only slower for a while after a harvest.
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import orjson
from pyroaring import BitMap
from sqlalchemy import Text, cast, func, literal, literal_column, select, text, union_all
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from catalogue.commits import CommitWatch
from catalogue.sorts import ORDERS, PLACED
from catalogue.tables import RecordFacet, RecordRow, RecordSet

log = logging.getLogger(__name__)
#: After a read of the bitmaps, how many times as long the next one waits: while a
#: harvest writes, reading them again and again would take a core (21 s a read on
#: SQLite, 58 s on PostgreSQL, at a million records); lists are counted in SQL meanwhile.
REST = 4


@dataclass(frozen=True)
class Order:
    """Live records' ids in one sort order, and each id's place in it (-1: none)."""

    ids: array
    places: array

    @staticmethod
    def of(places: str, ids: str) -> Order:
        listed = array("i", map(int, ids.split(",")))
        where = array("i", map(int, places.split(",")))
        ordered = array("i", bytes(len(listed) * listed.itemsize))
        placed = array("i", [-1]) * (max(listed) + 1)
        for record_id, place in zip(listed, where, strict=True):
            ordered[place - 1] = record_id
            placed[record_id] = place - 1
        return Order(ordered, placed)

    def page(self, found: BitMap, offset: int, size: int) -> list[int] | None:
        """None when a record found has no place (past the array: IndexError; -1, which
        a bitmap of unsigned ids refuses: OverflowError)."""
        places = self.places
        try:
            where = BitMap(places[record_id] for record_id in found)
        except (IndexError, OverflowError):
            return None
        return [self.ids[p] for p in where[offset : offset + size]]


@dataclass(frozen=True)
class WordMatches:
    """Every record a search's words match, and the same split by rank, best first
    (``catalogue.full_text.tiers``)."""

    ids: BitMap
    tiers: tuple[BitMap, ...] = ()


class RecentSearches:
    """The matches of the last words searched for, kept as long as the bitmaps they sit
    beside: a visitor who refines a search by a facet, sorts it or turns its page asks
    the store for the same words again, which at a million records on PostgreSQL reads
    the words' range of the word index again.  Held beside the bitmaps, they are dropped
    with them at the catalogue's next change, never stale.  Bounded: the last ``KEPT``
    searches, none of more than ``LARGEST`` matches."""

    KEPT = 32
    #: At most some 400 KB a search (its bitmap and its ranks' bitmaps, two bytes a
    #: match each), 13 MB for all those kept, in each process.
    LARGEST = 100_000

    def __init__(self) -> None:
        self._kept: OrderedDict[Hashable, WordMatches] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, words: Hashable) -> WordMatches | None:
        """The matches kept for ``words``, if they are."""
        with self._lock:
            found = self._kept.get(words)
            if found is None:
                return None
            self._kept.move_to_end(words)
            return found

    def keep(self, words: Hashable, found: WordMatches) -> None:
        if len(found.ids) > self.LARGEST:
            return
        with self._lock:
            self._kept[words] = found
            self._kept.move_to_end(words)
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)


@dataclass
class Bitmaps:
    """The live records, each set's members and each facet value's holders (per
    language the value is named in), as they were at ``mark``."""

    mark: Hashable
    #: The catalogue's version they were read at (``version``).
    version: str = ""
    live: BitMap = field(default_factory=BitMap)
    sets: dict[str, BitMap] = field(default_factory=dict)
    facets: dict[str, dict[str, dict[str, BitMap]]] = field(default_factory=dict)
    #: Live records' places in the sorts of ``catalogue.sorts.PLACED``.
    orders: dict[str, Order] = field(default_factory=dict)
    #: The matches of the words last searched for, while these bitmaps hold.
    searched: RecentSearches = field(default_factory=RecentSearches, compare=False)

    def place(self, sort: str, places: str | None, ids: str | None) -> None:
        """The live records in ``sort`` order, from the places (1, 2, ...) the store gave
        them and their ids: two lists joined in the same order, whatever that is."""
        if ids and places:
            self.orders[sort] = Order.of(places, ids)

    def in_order(self, sort: str, found: BitMap, offset: int, size: int) -> list[int] | None:
        """The ``size`` records of ``found`` after the first ``offset`` in ``sort`` order;
        None if one of them has no place (it was not live when the order was read)."""
        order = self.orders.get(sort)
        return None if order is None else order.page(found, offset, size)

    def allowed(self, set_spec: str | None, chosen: Sequence[tuple[str, str]]) -> BitMap:
        """Live records in ``set_spec`` (when given) holding every ``chosen`` value."""
        allowed = self.live
        if set_spec:
            allowed = allowed & self.sets.get(set_spec, BitMap())
        for kind, value in chosen:
            named = self.facets.get(kind, {}).get(value, {})
            allowed = allowed & BitMap.union(BitMap(), *named.values())
        return allowed

    def counts(
        self, found: BitMap, kinds: Sequence[str], langs: Sequence[str]
    ) -> dict[str, list[tuple[str, int]]]:
        """For each of ``kinds``, its values among ``found`` and how many records hold
        each (a record once, whatever languages the value is named in), most first."""
        counted: dict[str, list[tuple[str, int]]] = {}
        for kind in kinds:
            values = []
            for value, named in self.facets.get(kind, {}).items():
                holders = [named[lang] for lang in langs if lang in named]
                if not holders:
                    continue
                held = holders[0] if len(holders) == 1 else BitMap.union(*holders)
                count = held.intersection_cardinality(found)
                if count:
                    values.append((value, count))
            values.sort(key=lambda pair: (-pair[1], pair[0]))
            counted[kind] = values
        return counted


#: The catalogue's version (migration 0014): it moves with every change to a record row.
VERSION = {
    "sqlite": "SELECT CAST(n AS TEXT) FROM catalogue_version",
    "postgresql": "SELECT count(*) || ':' || coalesce(max(id), 0) FROM catalogue_changes",
}


def version(session: Session) -> str:
    return session.scalar(text(VERSION[session.bind.dialect.name]))


def read(session: Session, mark: Hashable) -> Bitmaps:
    """The bitmaps of the store, with its version, in one statement: one snapshot of
    the store on either database, whatever the isolation of the session."""
    bitmaps = Bitmaps(mark)
    for part, first, second, third, ids in session.execute(_everything(session)):
        if part == "version":
            bitmaps.version = ids
        elif part == "live":
            bitmaps.live = ids_bitmap(ids)
        elif part == "order":
            bitmaps.place(first, third, ids)
        elif part == "set":
            bitmaps.sets[first] = ids_bitmap(ids)
        else:
            bitmaps.facets.setdefault(first, {}).setdefault(second, {})[third] = ids_bitmap(ids)
    return bitmaps


def _everything(session: Session):
    """(part, key..., ids joined in one string): a row per group of ids is far quicker
    to read than a row per id (a tenth of the time, and no list of Python ints)."""
    dialect = session.bind.dialect.name

    def joined(ids):
        if dialect == "postgresql":
            return func.string_agg(cast(ids, Text), ",")
        return func.group_concat(ids, ",")

    blank = literal("")
    placed = {
        sort: select(RecordRow.id, func.row_number().over(order_by=ORDERS[sort]).label("place"))
        .join(RecordRow.contents)
        .where(RecordRow.deleted.is_(False))
        .subquery()
        for sort in PLACED
    }
    stated = literal_column(f"({VERSION[dialect]})")
    return union_all(
        select(literal("version"), blank, blank, blank, stated),
        select(literal("live"), blank, blank, blank, joined(RecordRow.id)).where(
            RecordRow.deleted.is_(False)
        ),
        select(literal("set"), RecordSet.spec, blank, blank, joined(RecordSet.record_id)).group_by(
            RecordSet.spec
        ),
        *(
            select(literal("order"), literal(sort), blank, joined(q.c.place), joined(q.c.id))
            for sort, q in placed.items()
        ),
        select(
            literal("facet"),
            RecordFacet.kind,
            RecordFacet.value,
            RecordFacet.lang,
            joined(RecordFacet.record_id),
        ).group_by(RecordFacet.kind, RecordFacet.value, RecordFacet.lang),
    )


def ids_bitmap(ids: str | None) -> BitMap:
    """'3,1,2' (ids as the store joins them) -> BitMap({1, 2, 3}).  Read as a JSON array
    (orjson): a fifth of the time of converting each number apart, some 2 ms against 11
    for the 48,000 ids a common word's range of the word index holds at a million."""
    return BitMap(orjson.loads(f"[{ids}]")) if ids else BitMap()


class BrowseIndex:
    """The latest bitmaps of a store, read again in a background thread once something
    has been committed since; ``current()`` gives them only while they still hold."""

    def __init__(self, sessions: sessionmaker[Session], watch: CommitWatch) -> None:
        self._sessions = sessions
        self._watch = watch
        self._bitmaps: Bitmaps | None = None
        self._lock = threading.Lock()
        self._reading: threading.Thread | None = None
        #: When the next read may start (``REST``).
        self._rested = 0.0

    def current(self) -> Bitmaps | None:
        """The bitmaps, while the catalogue is at the version they were read at; else
        None (and they are read again, once, in the background)."""
        mark = self._watch.mark()
        bitmaps = self._bitmaps
        if bitmaps is not None and bitmaps.mark == mark:
            return bitmaps
        if bitmaps is not None and self._version() == bitmaps.version:
            # Something else was committed (the usage counts, a session): still true.
            bitmaps.mark = mark
            return bitmaps
        with self._lock:
            idle = self._reading is None or not self._reading.is_alive()
            if idle and time.monotonic() >= self._rested:
                self._reading = threading.Thread(
                    target=self._read, args=(mark,), name="navette-browse-index", daemon=True
                )
                self._reading.start()
        return None

    def close(self) -> None:
        """Wait for a read under way, then close the commit watch's connection."""
        reading = self._reading
        if reading is not None:
            reading.join()
        self._watch.close()

    def _version(self) -> str | None:
        try:
            with self._sessions() as session:
                return version(session)
        except SQLAlchemyError:
            log.warning("the catalogue's version could not be read", exc_info=True)
            return None

    def refresh(self) -> Bitmaps:
        """Read the bitmaps now (start-up, tests, a bench)."""
        self._read(self._watch.mark())
        return self._bitmaps  # type: ignore[return-value]

    def _read(self, mark: Hashable) -> None:
        # The mark is taken before the statement: whatever is committed after it changes
        # the mark, and the version then says whether the bitmaps still hold.
        started = time.monotonic()
        try:
            with self._sessions() as session:
                self._bitmaps = read(session, mark)
        except SQLAlchemyError:
            log.exception("the facet bitmaps could not be read; lists are counted in SQL")
        finally:
            self._rested = time.monotonic() + REST * (time.monotonic() - started)
