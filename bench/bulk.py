"""Filling a store with many records fast, for the benchmarks.

A thousand generated films are rendered for real; the catalogue repeats them
under distinct identifiers and datestamps (a hundred records share each second,
so paging has ties to break), written with bulk inserts, with what search (its word
index) and the list's facets read.  Each keeps the sets a
film of the catalogue belongs to (about six: its series, subject and archive and
their parents), so that a header costs what it costs in a real catalogue.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from catalogue import codec, packing, word_index
from catalogue.database import open_store, refresh_statistics
from catalogue.facets import facets
from catalogue.save_plan import format_list
from catalogue.searched_text import posted, searchable
from catalogue.sets import record_sets
from catalogue.tables import (
    RecordContent,
    RecordFacet,
    RecordRow,
    RecordSet,
    Rendering,
    SetRow,
)
from mappings.formats import render
from tests.generated import generate

START = datetime(2020, 1, 1)
PER_SECOND = 100
CHUNK = 20_000


def fill(url: str, count: int, prefixes: tuple[str, ...] = ("oai_dc",), templates: int = 1000):
    """A store at ``url`` holding ``count`` records rendered in ``prefixes``."""
    sessions = open_store(url)
    films = list(generate(min(templates, count), seed=11))
    rendered = [
        {prefix: packing.pack(prefix, render(record, prefix)) for prefix in prefixes}
        for record in films
    ]
    data = [codec.to_dict(record) for record in films]
    memberships = [record_sets(record) for record in films]
    searched = [searchable(record) for record in films]
    browsed = [facets(record) for record in films]
    indexed = [posted(made["search_title"], made["search_text"]) for made in searched]
    engine = sessions.kw["bind"]
    named = {spec: name for sets in memberships for spec, name in sets.items()}
    with engine.begin() as connection:
        connection.execute(insert(SetRow), [{"spec": s, "name": n} for s, n in named.items()])
    for first in range(0, count, CHUNK):
        numbers = range(first, min(first + CHUNK, count))
        rows = [
            {
                "id": n + 1,
                "identifier": f"film-{n:07d}",
                "datestamp": START + timedelta(seconds=n // PER_SECOND),
                "deleted": False,
                "content_hash": "bench",
                "formats": format_list(prefixes),
                "set_specs": " ".join(sorted(memberships[n % len(films)])),
            }
            for n in numbers
        ]
        contents = [
            {
                "record_id": n + 1,
                "data": {**data[n % len(data)], "identifier": f"film-{n:07d}"},
                **searched[n % len(films)],
            }
            for n in numbers
        ]
        values = [
            {"record_id": n + 1, "kind": f.kind, "value": f.value, "lang": f.lang}
            for n in numbers
            for f in browsed[n % len(films)]
        ]
        renderings = [
            {"record_id": n + 1, "prefix": prefix, "xml": rendered[n % len(rendered)][prefix]}
            for n in numbers
            for prefix in prefixes
        ]
        words = [
            (word, n + 1, in_title)
            for n in numbers
            for word, in_title in indexed[n % len(films)].items()
        ]
        members = [
            {"record_id": n + 1, "spec": spec}
            for n in numbers
            for spec in memberships[n % len(films)]
        ]
        with engine.begin() as connection:
            connection.execute(insert(RecordRow), rows)
            connection.execute(insert(RecordContent), contents)
            connection.execute(insert(Rendering), renderings)
            connection.execute(insert(RecordSet), members)
            connection.execute(insert(RecordFacet), values)
            words.sort()  # in the word index's order, as the store writes it
            word_index.write(connection, words)
    refresh_statistics(engine)
    return sessions


def last_key(count: int, back: int) -> tuple[datetime, str]:
    """The (datestamp, identifier) of the record ``back`` places before the end."""
    n = count - back - 1
    return START + timedelta(seconds=n // PER_SECOND), f"film-{n:07d}"
