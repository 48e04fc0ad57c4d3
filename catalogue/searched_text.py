"""The words a record is found by, as both full-text indexes keep them, and the forms a
search's words are looked for in.

Each record keeps folded lines of its searchable values (lower case, accents removed),
written with the record: its titles apart, the better to rank, and everything.  A title,
a series or a subject in English or French (its own language, else the record's when it
has one of the two) is kept stemmed by that language's Snowball stemmer, so "reef"
finds "coral reefs" and "recif" finds "récifs coralliens"; names, identifiers and values
in other languages are kept as written.  A search's word is looked for as typed and as
each language stems it, since a visitor's query says no language.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

import snowballstemmer

from catalogue.model import Record, Text

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
#: The most words a search may hold.
MAX_WORDS = 8
#: The languages whose words are stemmed, by the codes a record may give them.
STEMMED = {"en": "english", "eng": "english", "fr": "french", "fre": "french", "fra": "french"}
#: The longest title kept to sort by (a column of this width).
TITLE_KEY = 200
#: The most (language, word) stems remembered: a catalogue's words repeat (its series,
#: subjects, the words of its titles), and Snowball's Python stemmers cost some 100 µs
#: a word, a third of a harvest's time before they were remembered (at most some 20 MB).
STEMS_KEPT = 100_000
#: The longest word kept in the word index, in characters: a longer one (a URL's path,
#: a checksum) is kept, and looked for, cut to this length (a database index's key has
#: a bounded size).
WORD_KEPT = 100


def fold(text: str) -> str:
    """'  Jean-Pierre  BIBRING ' -> 'jean-pierre bibring'; 'Université' -> 'universite'."""
    if text.isascii():
        # Most values: nothing to decompose, and lower() is casefold() for ASCII.
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold()).strip()


_local = threading.local()


def _stemmer(language: str):
    """The language's stemmer for this thread: a Snowball stemmer keeps the word it
    works on in itself, so two threads (a server's) must not share one."""
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(language)
    return stemmers[language]


@functools.lru_cache(maxsize=STEMS_KEPT)
def _stem(language: str, word: str) -> str:
    return _stemmer(language).stemWord(word)


def _language(lang: str | None) -> str | None:
    """The Snowball language of a language code ('fr-FR' -> 'french'), if stemmed."""
    return STEMMED.get((lang or "").lower().split("-")[0])


def stemmed(value: str, language: str | None) -> str:
    """The value folded, each word stemmed by ``language`` (Snowball's name) if given."""
    folded = fold(value)
    if language is None:
        return folded
    return _WORD.sub(lambda word: _stem(language, word.group()), folded)


def _worded(record: Record, texts: list[Text]) -> Iterator[str]:
    """Each text stemmed by its own language, or, when it states none, by the record's
    when that is one stemmed language alone."""
    stated = {_language(code) for code in record.languages} - {None}
    default = stated.pop() if len(stated) == 1 else None
    for text in texts:
        yield stemmed(text.value, _language(text.lang) if text.lang else default)


def _plain(record: Record) -> list[str]:
    """The values kept as written: identifiers, names, organisations, laboratories."""
    values = [record.identifier, record.item_number or "", record.landing_page or ""]
    values += [t.value for t in record.identifiers]
    for credit in record.credits:
        if credit.person is not None:
            person = credit.person
            values += [person.family_name, person.given_name or "", *person.affiliations]
        values.append(credit.organisation or "")
        if credit.unqualified:
            values.append(credit.written or "")
    values += record.laboratories
    values += record.laboratory_names.values()
    return [fold(v) for v in values if v]


def search_text(record: Record, titles: list[str] | None = None) -> str:
    """The record's searchable values, folded (and stemmed where their language says
    how), separated by ' | '; ``titles``: its titles so worded already."""
    if titles is None:
        titles = _titles(record)
    worded = [*titles, *_worded(record, record.series), *_worded(record, record.subjects)]
    return " | ".join(value for value in [*worded, *_plain(record)] if value)


def _titles(record: Record) -> list[str]:
    return [*_worded(record, record.titles), *_worded(record, record.alternative_titles)]


def searchable(record: Record) -> dict[str, Any]:
    """The columns of ``record_contents`` a search and the list's sorts read."""
    titles = _titles(record)
    return {
        "search_text": search_text(record, titles),
        "search_title": " | ".join(title for title in titles if title),
        "title_key": fold(record.title())[:TITLE_KEY],
        "year": record.production_year,
    }


def posted(search_title: str, search_text: str) -> dict[str, bool]:
    """The words of a record's search columns as the word index keeps them: each once,
    with whether its titles hold it (a title's word ranks higher)."""
    found = {word[:WORD_KEPT]: False for word in _WORD.findall(search_text)}
    found.update((word[:WORD_KEPT], True) for word in _WORD.findall(search_title))
    return found


def words(query: str) -> list[str]:
    """The folded words of a query as the full-text indexes cut them (letters and digits,
    anything else a separator), at most MAX_WORDS of them."""
    return _WORD.findall(fold(query))[:MAX_WORDS]


def query_forms(word: str) -> list[str]:
    """A search's word as typed and as English and French stem it, each once."""
    forms = [word[:WORD_KEPT]]
    for language in ("english", "french"):
        stem = _stem(language, word)[:WORD_KEPT]
        if stem not in forms:
            forms.append(stem)
    return forms
