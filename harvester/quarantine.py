"""Retrying quarantined records: the stored raw XML goes through the same checks again."""

from __future__ import annotations

from lxml import etree
from sqlalchemy.orm import Session, sessionmaker

from catalogue import store
from catalogue.tables import QuarantinedRecord
from harvester import state
from harvester.mapping import accept
from harvester.pages import read_record
from ingest import prepare
from mappings.publication import DEFAULT, Publication
from mappings.safexml import UnsafeXML, parse
from protocol.dates import utc_now
from protocol.failures import in_words


def retry(
    sessions: sessionmaker[Session],
    numbers: list[int] | None = None,
    publication: Publication = DEFAULT,
) -> list[tuple[int, str | None]]:
    """(number, None) for each record now stored, (number, reason) for each still refused."""
    check = prepare.schemas_available() is None
    outcomes = []
    with sessions.begin() as session:
        items = (
            [session.get(QuarantinedRecord, n) for n in numbers]
            if numbers
            else state.quarantined(session)
        )
        for item in items:
            if item is None or item.status != "held":
                continue
            outcome = _retry_one(session, item, check, publication)
            outcomes.append((item.id, outcome))
    return outcomes


def _retry_one(
    session: Session, item: QuarantinedRecord, check: bool, publication: Publication
) -> str | None:
    source = state.get_source(session, item.source)
    try:
        raw = read_record(parse(item.raw_xml.encode()))
    except etree.XMLSyntaxError as error:
        return f"still {in_words(error)}"
    except UnsafeXML as error:
        return f"still not well-formed XML: {error}"
    now = utc_now()
    record = accept(raw, source.name, source.base_url, now, check)
    if isinstance(record, str):
        item.reason = record
        return record
    try:
        written = prepare.prepare(record, check, publication=publication)
    except prepare.RecordRefused as error:
        return str(error)
    store.save(session, [written], now=now, source=source.name)
    item.status = "retried"
    return None
