"""The facets and sets as bitmaps in memory: they count exactly what the store counts,
and are never used once something has been committed after they were read.  On both
databases, over the demo catalogue."""

from __future__ import annotations

import re

import pytest
from pyroaring import BitMap
from sqlalchemy import event, select

from catalogue import codec, search, store
from catalogue.browse_index import BrowseIndex, RecentSearches, WordMatches, version
from catalogue.commits import CommitWatch
from catalogue.database import open_store
from catalogue.searched_text import fold
from catalogue.tables import RecordContent, RecordRow, Setting
from navette import demo
from protocol.dates import utc_now
from tests.conftest import requires_schemas

pytestmark = requires_schemas

KINDS = ("series", "subject", "decade", "year", "type", "language", "audience", "person")
#: Lists a visitor asks for: words, a set, facets, and their combinations.
LISTS = [
    ("", None, ()),
    ("mars", None, ()),
    ("coral reefs", None, ()),
    ("ocean", None, (("decade", "2010s"),)),
    ("", None, (("subject", "Biology"),)),
    ("", None, (("language", "fr"), ("audience", "Large audience"))),
    ("", "series", ()),
    ("nothing-of-the-kind", None, ()),
    ("!!", None, ()),
]


@pytest.fixture
def catalogue(database_url):
    sessions = open_store(database_url)
    demo.load(sessions)
    yield sessions
    sessions.kw["bind"].dispose()


@pytest.fixture
def index(catalogue):
    return BrowseIndex(catalogue, CommitWatch(catalogue.kw["bind"]))


@pytest.fixture(params=["few found", "many found"])
def paging(request, monkeypatch):
    """Both ways a page is read from the bitmaps: the ids of a few records found listed
    to the store, or, for many, their places in the title order and the sorts' indexes
    read until the page is full (the demo is small: "many" starts at none here)."""
    if request.param == "many found":
        monkeypatch.setattr(search, "LISTED_IDS", 0)
        monkeypatch.setattr(search, "SCANNED", 40)


@pytest.mark.parametrize(("words", "set_spec", "chosen"), LISTS)
def test_the_bitmaps_count_and_page_each_list_as_the_store_does(
    catalogue, index, paging, words, set_spec, chosen
):
    bitmaps = index.refresh()
    with catalogue() as session:
        among = search.matching(session, bitmaps, words, set_spec, chosen)
        counted = search.facet_counts(session, words, set_spec, chosen, KINDS, ("", "en"))
        assert (
            search.facet_counts(session, words, set_spec, chosen, KINDS, ("", "en"), bitmaps, among)
            == counted
        )
        for sort in search.SORTS:
            for page in (1, 2):
                listed = search.find(session, words, set_spec, page, 3, False, sort, chosen)
                assert listed == search.find(
                    session, words, set_spec, page, 3, False, sort, chosen, bitmaps, among
                ), (sort, page)


def test_the_bitmaps_are_not_used_once_a_record_is_withdrawn_after_they_were_read(catalogue, index):
    before = index.refresh()
    assert index.current() is before
    with catalogue.begin() as session:
        store.delete_record(session, "cnrs-6764", utc_now())
    assert index.current() is None
    after = index.refresh()
    assert len(after.live) == len(before.live) - 1
    assert index.current() is after


def test_the_bitmaps_are_read_again_in_the_background_when_asked_for_after_a_change(
    catalogue, index
):
    assert index.current() is None
    index._reading.join(timeout=30)
    bitmaps = index.current()
    assert bitmaps is not None
    with catalogue() as session:
        assert len(bitmaps.live) == search.find(session).total


def test_a_commit_that_changes_no_record_leaves_the_bitmaps_in_use(catalogue, index):
    bitmaps = index.refresh()
    with catalogue.begin() as session:
        session.add(Setting(name="unrelated", value="a commit that is not the catalogue's"))
    assert index.current() is bitmaps


def test_the_catalogue_version_moves_with_each_change_of_a_record(catalogue):
    with catalogue() as session:
        before = version(session)
    with catalogue.begin() as session:
        store.delete_record(session, "cnrs-6764", utc_now())
    with catalogue() as session:
        assert version(session) != before


@pytest.fixture
def statements(catalogue):
    """The statements the store is asked, as they are sent."""
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = catalogue.kw["bind"]
    event.listen(engine, "before_cursor_execute", count)
    yield sent
    event.remove(engine, "before_cursor_execute", count)


def test_words_searched_again_while_the_bitmaps_hold_ask_the_store_nothing(
    catalogue, index, statements
):
    bitmaps = index.refresh()
    with catalogue() as session:
        first = search.matching(session, bitmaps, "ocean")
        asked = len(statements)
        refined = search.matching(session, bitmaps, "ocean", None, (("decade", "2010s"),))
    assert asked > 0
    assert len(statements) == asked
    assert first.matched == refined.matched
    assert list(refined.ids) == [i for i in first.ids if i in refined.ids]
    assert set(refined.ids) <= set(first.ids)


def test_a_search_reads_the_word_index_alone_once_a_word(catalogue, index, statements):
    bitmaps = index.refresh()
    before = len(statements)
    with catalogue() as session:
        search.matching(session, bitmaps, "coral reefs")
    sent = statements[before:]
    assert len(sent) == 2
    assert all("FROM record_words" in one and "record_contents" not in one for one in sent)


def test_a_search_ranks_its_matches_by_the_words_their_titles_hold(catalogue, index):
    bitmaps = index.refresh()
    with catalogue() as session:
        found = search.matching(session, bitmaps, "mars")
        stored = session.execute(select(RecordContent.record_id, RecordContent.data))
        records = {record_id: codec.from_dict(data) for record_id, data in stored}
    titles = {
        record_id: " ".join(fold(t.value) for t in [*record.titles, *record.alternative_titles])
        for record_id, record in records.items()
    }
    best, *rest = found.tiers
    assert best and all(re.search(r"\bmars\b", titles[i]) for i in best)
    assert all(not re.search(r"\bmars\b", titles[i]) for tier in rest for i in tier)
    assert BitMap.union(*found.tiers) == found.ids


def test_a_change_to_the_catalogue_forgets_the_words_searched_for(catalogue, index):
    before = index.refresh()
    with catalogue() as session:
        found = search.matching(session, before, "mars")
    assert 1 <= len(found)
    withdrawn = found.ids[0]
    with catalogue() as session:
        identifier = session.get(RecordRow, withdrawn).identifier
    with catalogue.begin() as session:
        store.delete_record(session, identifier, utc_now())
    assert index.current() is None
    after = index.refresh()
    with catalogue() as session:
        again = search.matching(session, after, "mars")
    assert withdrawn not in again.ids
    assert len(again) == len(found) - 1


def test_the_words_kept_are_bounded_in_number_and_size(monkeypatch):
    recent = RecentSearches()
    monkeypatch.setattr(RecentSearches, "KEPT", 2)
    monkeypatch.setattr(RecentSearches, "LARGEST", 3)
    for word in ("one", "two", "three"):
        recent.keep((word,), WordMatches(BitMap([1, 2])))
    recent.keep(("many",), WordMatches(BitMap([1, 2, 3, 4])))
    assert recent.get(("one",)) is None
    assert recent.get(("two",)) is not None
    assert recent.get(("three",)) is not None
    assert recent.get(("many",)) is None
