"""A search's words in each store's own full-text index: FTS5 on SQLite, a tsvector
with a GIN index on PostgreSQL; the words as ``catalogue.searched_text`` cuts and stems
them, every word of the search, each in any of its forms."""

from __future__ import annotations

from array import array

from pyroaring import BitMap
from sqlalchemy import Text, cast, column, func, literal, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from catalogue.browse_index import ids_bitmap
from catalogue.searched_text import query_forms
from catalogue.tables import RecordContent, RecordRow


class FullText:
    """A search's words in the store's own full-text index."""

    #: Whether a search by relevance reads every match once, in rank order, rather than
    #: listing them and then ranking the best few (``matching``).
    ranked_in_one_reading = False

    def __init__(self, asked: list[str]) -> None:
        self.asked = asked

    @staticmethod
    def of(session: Session, asked: list[str]) -> FullText:
        dialect = session.bind.dialect.name
        return (PostgresText if dialect == "postgresql" else SqliteText)(asked)

    def ranked(self, session: Session, limit: int | None = None) -> list[int]:
        """The ids of the words' matches, best first, the first ``limit`` of them."""
        raise NotImplementedError

    def in_rank_order(self, session: Session) -> array:
        """Every match of the words, best first, in one reading of the index (where
        ``ranked_in_one_reading``)."""
        raise NotImplementedError


class SqliteText(FullText):
    """FTS5 (``record_search``, kept by triggers on ``record_contents``): every word
    quoted (a word is letters and digits, nothing FTS5 could read as an operator).
    The index answers both readings from itself: at a million records, taking every id
    out in rank order cost more (45-86 ms) than listing them and ranking the best few
    (30-54 ms)."""

    table = table("record_search", column("rowid"))

    def match_expression(self) -> str:
        """'("reefs" OR "reef") AND ("coral")': each word in any of its forms, every word."""
        return " AND ".join(
            "(" + " OR ".join(f'"{form}"' for form in query_forms(word)) + ")"
            for word in self.asked
        )

    def narrow(self, statement):
        match = self.match_expression()
        return statement.join(self.table, self.table.c.rowid == RecordRow.id).where(
            text("record_search MATCH :words").bindparams(words=match)
        )

    def ids(self, session: Session) -> BitMap:
        # Joined in one string: a tenth of the time of a row per match.
        statement = text(
            "SELECT group_concat(rowid) FROM record_search WHERE record_search MATCH :words"
        )
        return ids_bitmap(session.scalar(statement, {"words": self.match_expression()}))

    def ranked(self, session: Session, limit: int | None = None) -> list[int]:
        statement = text(
            "SELECT rowid FROM record_search WHERE record_search MATCH :words "
            "ORDER BY bm25(record_search, 4.0, 1.0), rowid LIMIT :limit"
        )
        asked = {"words": self.match_expression(), "limit": -1 if limit is None else limit}
        return list(session.scalars(statement, asked))

    def rank(self):
        # bm25 is smaller for a better match; a title's words weigh four times the rest's.
        return text("bm25(record_search, 4.0, 1.0)")


class PostgresText(FullText):
    """The ``search_vector`` column (titles weighted A, the rest D) and its GIN index."""

    # Listing the matches and ranking them each visit every match's row.
    ranked_in_one_reading = True

    vector = literal_column("record_contents.search_vector")

    def _query(self):
        # "(reefs | reef) & coral": each word in any of its forms, every word.
        return func.to_tsquery(
            "simple", " & ".join("(" + " | ".join(query_forms(w)) + ")" for w in self.asked)
        )

    def narrow(self, statement):
        return statement.where(self.vector.op("@@")(self._query()))

    def ids(self, session: Session) -> BitMap:
        joined = func.string_agg(cast(RecordContent.record_id, Text), ",")
        statement = select(joined).where(self.vector.op("@@")(self._query()))
        return ids_bitmap(session.scalar(statement))

    def ranked(self, session: Session, limit: int | None = None) -> list[int]:
        statement = (
            select(RecordContent.record_id)
            .where(self.vector.op("@@")(self._query()))
            .order_by(*self._order())
            .limit(limit)
        )
        return list(session.scalars(statement))

    def in_rank_order(self, session: Session) -> array:
        ordered = func.string_agg(
            cast(RecordContent.record_id, Text), aggregate_order_by(literal(","), *self._order())
        )
        return _numbers(session.scalar(select(ordered).where(self.vector.op("@@")(self._query()))))

    def rank(self):
        return func.ts_rank(self.vector, self._query()).desc()

    def _order(self) -> tuple:
        return self.rank(), RecordContent.record_id


def _numbers(joined: str | None) -> array:
    """'3,1,2' (ids as the store joins them, in order) -> array('I', [3, 1, 2]): 4 bytes
    an id, as the searches kept beside the bitmaps hold them."""
    return array("I", map(int, joined.split(",")) if joined else ())
