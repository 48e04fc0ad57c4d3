"""A search's words in the store's word index (``record_words``, the same on SQLite and
PostgreSQL): every word of the search, each in any of its forms (``query_forms``), as
``catalogue.searched_text`` cut and stemmed the record's.  Ranked by how many of the
words the record's titles hold, then by the record's id, the index's own order: a title
match first, and the same order whether the store or the bitmaps page the list.

A word's matches are one range of the index's key, its ids read from the index itself:
no record's row is visited, where a full-text index (FTS5, a GIN index) hands back rows
and reading the 24,000 a common word matches among a million took most of a search's
time (docs/performance.md)."""

from __future__ import annotations

from pyroaring import BitMap
from sqlalchemy import Integer, Text, cast, exists, func, literal, select
from sqlalchemy.orm import Session

from catalogue.browse_index import WordMatches, ids_bitmap
from catalogue.searched_text import query_forms
from catalogue.tables import RecordRow, RecordWord


class FullText:
    """The words of a search, looked for in ``record_words``."""

    def __init__(self, asked: list[str], dialect: str) -> None:
        self.asked = asked
        #: Each word's forms: a record matches the word when it holds any of them.
        self.forms = [query_forms(word) for word in asked]
        self.dialect = dialect

    @staticmethod
    def of(session: Session, asked: list[str]) -> FullText:
        return FullText(asked, session.bind.dialect.name)

    def narrow(self, statement):
        """``statement`` (over records) kept to the records holding every word."""
        for forms in self.forms:
            holders = select(RecordWord.record_id).where(RecordWord.word.in_(forms))
            statement = statement.where(RecordRow.id.in_(holders))
        return statement

    def rank(self):
        """The order by relevance, best first: how many of the words the titles hold."""
        titled = [
            cast(
                exists().where(
                    RecordWord.record_id == RecordRow.id,
                    RecordWord.word.in_(forms),
                    RecordWord.in_title.is_(True),
                ),
                Integer,
            )
            for forms in self.forms
        ]
        return sum(titled[1:], titled[0]).desc()

    def read(self, session: Session) -> WordMatches:
        """Every record holding every word, and the same ranked: one reading of the
        index a word, stopped at the first word nothing holds."""
        found: BitMap | None = None
        titled: list[BitMap] = []
        for forms in self.forms:
            holders, in_titles = session.execute(self.holders(forms)).one()
            held = ids_bitmap(holders)
            found = held if found is None else found & held
            titled.append(ids_bitmap(in_titles))
            if not found:
                break
        found = found if found is not None else BitMap()
        return WordMatches(found, tiers(found, titled))

    def holders(self, forms: list[str]):
        """The statement reading a word's range of the index: the ids of the records
        holding any of its ``forms``, and of those whose titles do, each joined in one
        string (a tenth of the time of a row a match)."""
        if self.dialect == "postgresql":
            joined = func.string_agg(cast(RecordWord.record_id, Text), literal(","))
        else:
            joined = func.group_concat(RecordWord.record_id)
        in_title = joined.filter(RecordWord.in_title.is_(True))
        return select(joined, in_title).where(RecordWord.word.in_(forms))


def tiers(found: BitMap, titled: list[BitMap]) -> tuple[BitMap, ...]:
    """``found`` split by how many of the ``titled`` bitmaps (one a word: the records
    whose titles hold it) hold each record, most first, the empty ones left out."""
    held = [found]  # held[k]: the records found whose titles hold k of the words so far
    for in_title in titled:
        more = [held[0] - in_title]
        for k in range(1, len(held)):
            more.append((held[k] - in_title) | (held[k - 1] & in_title))
        more.append(held[-1] & in_title)
        held = more
    return tuple(level for level in reversed(held) if level)
