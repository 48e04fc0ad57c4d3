"""Finding records by what people type: a title word, a name, a subject, an identifier.

The store's word index reads the words a record is found by
(``catalogue.searched_text``: folded, English and French stemmed; ``record_words``,
``catalogue.full_text``): whole words, every word of the search, ranked with a title
match first, so "mars" finds Mars and not Marseille, and "Francois" finds "François".
A list is counted, faceted and paged from the bitmaps of
``catalogue.browse_index`` while they hold, else by the store, with the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pyroaring import BitMap
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.browse_index import Bitmaps, WordMatches
from catalogue.full_text import FullText
from catalogue.searched_text import words
from catalogue.sorts import ORDERS, PLACED
from catalogue.tables import RecordContent, RecordFacet, RecordRow, RecordSet

#: The most records found that a page is read from by listing their ids; beyond, by
#: reading the sort's index until the page is full.
LISTED_IDS = 5000
#: The most records found that a page is ordered from their places in the bitmaps' sort
#: orders (beyond, the store's index of the sort is read until the page is full).
IN_PLACED_ORDER = 200_000
#: The most rows of a sort's index read for a page of records found before the store
#: is asked to sort them instead (the records found are few, or all at the end).
SCANNED = 100_000


@dataclass
class Found:
    """One page of a search: the rows' identifiers and JSON forms, and how many match."""

    records: list[tuple[str, dict, bool]]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager shows: the first, the last, and those ``around`` this
        one, with None where pages are skipped."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        kept = sorted(n for n in shown if 1 <= n <= self.pages)
        numbers: list[int | None] = []
        previous = 0
        for number in kept:
            if number - previous == 2:
                numbers.append(number - 1)  # one page skipped: shown, not an ellipsis
            elif number - previous > 2:
                numbers.append(None)
            numbers.append(number)
            previous = number
        return numbers


#: The orders a list may be read in; "relevance" only with words to rank by.
SORTS = ("relevance", "title", "year", "newest")


def find(
    session: Session,
    query: str = "",
    set_spec: str | None = None,
    page: int = 1,
    size: int = 50,
    with_deleted: bool = False,
    sort: str = "relevance",
    chosen: Sequence[tuple[str, str]] = (),
    bitmaps: Bitmaps | None = None,
    among: Matches | None = None,
) -> Found:
    """Records holding every word of ``query`` (none: every record), in ``set_spec`` when
    given, with every ``chosen`` (kind, value) facet, in the ``sort`` order (relevance
    falls back to title without words).  ``among``: those records, as ``matching`` found
    them in ``bitmaps``, which count them and order their page instead of the store."""
    counted = among is not None and bitmaps is not None and not with_deleted
    # Many records found: a set or facet is probed record by record along the sort.
    probe = counted and len(among) > LISTED_IDS
    selection = Selection.of(session, query, set_spec, with_deleted, chosen, probe)
    if selection is None:
        return Found([], 0, page, size)
    offset = (page - 1) * size
    if counted:
        total = len(among)
        ids = _page_among(session, selection, sort, offset, size, bitmaps, among)
        if ids is None:
            narrowed = selection.only(among.ids) if total <= LISTED_IDS else selection
            ids = _page(session, narrowed, sort, offset, size) if total else []
    else:
        total = session.scalar(selection.select(func.count())) or 0
        ids = _page(session, selection, sort, offset, size) if total else []
    rows = session.execute(
        select(RecordRow.id, RecordRow.identifier, RecordContent.data, RecordRow.deleted)
        .join(RecordRow.contents)
        .where(RecordRow.id.in_(ids))
    )
    by_id = {row[0]: tuple(row[1:]) for row in rows}
    return Found([by_id[i] for i in ids if i in by_id], total, page, size)


def _page(session: Session, selection: Selection, sort: str, offset: int, size: int) -> list:
    """The page's ids, in order, from the store.  The records themselves are read after:
    sorting every record found with its JSON made the sort carry it."""
    return session.scalars(
        selection.select(RecordRow.id)
        .order_by(*_order(sort, selection.index))
        .offset(offset)
        .limit(size)
    ).all()


def _page_among(
    session: Session,
    selection: Selection,
    sort: str,
    offset: int,
    size: int,
    bitmaps: Bitmaps,
    among: Matches,
) -> list[int] | None:
    """The page's ids, in order, from the records found in the bitmaps, where that is
    quicker than the store: by relevance, the full-text index's order alone (no record
    joined), kept when found; by title or year, their places in those orders; by
    newest, along its index until the page is full.  None: ask the store."""
    if selection.index is None and sort == "relevance":
        sort = "title"
    if sort == "relevance":
        return _relevant(among, offset, size)
    if selection.everything:
        return None
    if sort in PLACED and len(among) <= IN_PLACED_ORDER:
        return bitmaps.in_order(sort, among.ids, offset, size)
    if len(among) <= LISTED_IDS:
        return None
    if sort in SORT_ORDERS:
        # Read along the sort's index, the records found kept, until the page is full.
        ordered = session.scalars(
            SORT_ORDERS[sort].limit(SCANNED).execution_options(yield_per=5000)
        )
        page = _kept(ordered, among.ids, offset, size)
        return page if len(page) == size or len(page) + offset >= len(among) else None
    return None


def facet_counts(
    session: Session,
    query: str = "",
    set_spec: str | None = None,
    chosen: Sequence[tuple[str, str]] = (),
    kinds: Sequence[str] = (),
    langs: Sequence[str] = ("",),
    bitmaps: Bitmaps | None = None,
    among: Matches | None = None,
) -> dict[str, list[tuple[str, int]]]:
    """For each of ``kinds``, its values among the records found and how many hold each,
    most first; a value with a language only in ``langs``.  Counted in ``bitmaps`` when
    given (current ones: ``BrowseIndex.current``), among the records ``matching`` found
    in them when known, else in the store."""
    if not kinds or (query.strip() and not words(query)):
        return {}  # nothing asked, or nothing a search for punctuation alone can find
    if bitmaps is not None:
        found = among if among is not None else matching(session, bitmaps, query, set_spec, chosen)
        return bitmaps.counts(found.ids, kinds, langs)
    selection = Selection.of(session, query, set_spec, False, chosen)
    statement = (
        select(RecordFacet.kind, RecordFacet.value, func.count())
        .where(RecordFacet.kind.in_(kinds), RecordFacet.lang.in_(langs))
        .group_by(RecordFacet.kind, RecordFacet.value)
    )
    if not selection.everything:
        # Only live records have facets: the whole catalogue needs no list of records.
        found = selection.select(RecordRow.id).scalar_subquery()
        statement = statement.where(RecordFacet.record_id.in_(found))
    rows = session.execute(statement).all()
    counted: dict[str, list[tuple[str, int]]] = {kind: [] for kind in kinds}
    for kind, value, count in rows:
        counted[kind].append((value, count))
    for values in counted.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    return counted


def matching(
    session: Session,
    bitmaps: Bitmaps,
    query: str = "",
    set_spec: str | None = None,
    chosen: Sequence[tuple[str, str]] = (),
) -> Matches:
    """The live records ``find`` lists, as a bitmap: the words read from the store's
    word index (with their ranks, in the same reading), the rest from ``bitmaps``."""
    asked = words(query)
    if query.strip() and not asked:
        return Matches(BitMap())
    allowed = bitmaps.allowed(set_spec, chosen)
    if not asked:
        return Matches(allowed)
    found = _word_matches(session, bitmaps, asked)
    return Matches(allowed & found.ids, len(found.ids), found.tiers)


def _word_matches(session: Session, bitmaps: Bitmaps, asked: list[str]) -> WordMatches:
    """The words' matches, from those kept beside ``bitmaps`` when searched for lately."""
    key = tuple(asked)
    found = bitmaps.searched.get(key)
    if found is None:
        found = FullText.of(session, asked).read(session)
        bitmaps.searched.keep(key, found)
    return found


@dataclass
class Matches:
    """The records a list shows, found in the bitmaps, how many its words alone match
    (None without words) and every match of the words split by rank, best first."""

    ids: BitMap
    matched: int | None = None
    tiers: Sequence[BitMap] = ()

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Selection:
    """The records a list shows: its words, set, chosen facets and whether deleted
    records count, as the conditions of a statement over records and their contents."""

    index: FullText | None
    conditions: list

    @staticmethod
    def of(
        session: Session,
        query: str,
        set_spec: str | None,
        with_deleted: bool,
        chosen: Sequence[tuple[str, str]],
        probe: bool = False,
    ) -> Selection | None:
        """None when nothing can match (punctuation alone, no word to find).  ``probe``:
        a set or a facet asked of each record read in order (EXISTS), which stops early
        when many records hold it, instead of listing its holders first (IN), which is
        quicker when few do."""
        asked = words(query)
        if query.strip() and not asked:
            return None
        conditions = [] if with_deleted else [RecordRow.deleted.is_(False)]
        if set_spec:
            members = select(RecordSet.record_id).where(RecordSet.spec == set_spec)
            conditions.append(_holding(members, RecordSet.record_id, probe))
        for kind, value in chosen:
            holders = select(RecordFacet.record_id).where(
                RecordFacet.kind == kind, RecordFacet.value == value
            )
            conditions.append(_holding(holders, RecordFacet.record_id, probe))
        return Selection(FullText.of(session, asked) if asked else None, conditions)

    def only(self, ids: BitMap) -> Selection:
        """The same words (to rank by), the records narrowed to ``ids`` alone."""
        return Selection(self.index, [RecordRow.id.in_(list(ids))])

    @property
    def everything(self) -> bool:
        """Every live record: no words, no set, no facet chosen."""
        return self.index is None and len(self.conditions) == 1

    def select(self, *columns):
        statement = select(*columns).select_from(RecordRow).join(RecordRow.contents)
        if self.index is not None:
            statement = self.index.narrow(statement)
        return statement.where(*self.conditions)


def _holding(holders, holder_id, probe: bool):
    if probe:
        return holders.where(holder_id == RecordRow.id).exists()
    return RecordRow.id.in_(holders)


def _order(sort: str, index: FullText | None) -> list:
    """The order, ties broken by the record's id (the sort indexes end with it)."""
    if sort == "relevance" and index is not None:
        return [index.rank(), RecordContent.record_id]
    return list(ORDERS["title" if sort == "relevance" else sort])


#: The sorts' own indexes, read in order to fill a page of records found.
SORT_ORDERS = {
    "year": select(RecordContent.record_id).order_by(*ORDERS["year"]),
    "newest": select(RecordRow.id).where(RecordRow.deleted.is_(False)).order_by(*ORDERS["newest"]),
}


def _relevant(among: Matches, offset: int, size: int) -> list[int]:
    """A page of the records found in relevance order: each rank's records among them,
    best rank first, by id within a rank (as ``FullText.rank`` orders the store's)."""
    page: list[int] = []
    for tier in among.tiers:
        kept = tier & among.ids
        if offset >= len(kept):
            offset -= len(kept)
            continue
        page += kept[offset : offset + size - len(page)]
        offset = 0
        if len(page) == size:
            break
    return page


def _kept(ranked: Iterable[int], among: BitMap, offset: int, size: int) -> list[int]:
    """The ``size`` ids of ``ranked`` in ``among`` after the first ``offset`` of them."""
    page: list[int] = []
    for record_id in ranked:
        if record_id in among:
            if offset:
                offset -= 1
                continue
            page.append(record_id)
            if len(page) == size:
                break
    return page
