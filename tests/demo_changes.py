"""Changes made to a served demo catalogue behind its back, as a harvest or an edit
would make them: what the ResourceSync tests then see come over."""

from __future__ import annotations

from dataclasses import replace

from catalogue import codec, store
from catalogue.database import open_store
from catalogue.model import Text
from mappings.formats import render_all
from protocol.dates import utc_now

WITHDRAWN, RETITLED, ADDED = "cnrs-7001", "cnrs-7002", "cnrs-9999"
NEW_TITLE = "Mars Express : dix ans autour de la planète rouge"


def change_the_catalogue(url: str) -> None:
    """One record withdrawn, one retitled, one added (a copy of the retitled one)."""
    sessions = open_store(url)
    with sessions.begin() as session:
        record = codec.from_dict(store.stored_data(session, [RETITLED])[RETITLED])
        retitled = replace(record, titles=[Text(NEW_TITLE, "fr"), *record.titles[1:]])
        added = replace(record, identifier=ADDED)
        now = utc_now()
        store.save(session, [store.Written(r, render_all(r)) for r in (retitled, added)], now=now)
        store.delete_record(session, WITHDRAWN, now)
    sessions.kw["bind"].dispose()
