"""A resumed list page: read by one statement, in no transaction, and answered
even when the database server dropped the connection it was to be read on.

Those reads skip the transaction and the pool's ping that every other answer pays
(``catalogue.database.open_reads``): these tests hold them to what makes that sound.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

from catalogue.database import normalise_url
from tests.conftest import requires_schemas
from tests.oai.helpers import harvest, identifiers, token, walk

LISTS = [
    ("ListRecords", {"metadataPrefix": "oai_dc"}),
    ("ListIdentifiers", {"metadataPrefix": "ebucore"}),
    ("ListRecords", {"metadataPrefix": "ebucore", "set": "series"}),
]


def _in_transaction(dbapi_connection) -> bool:
    info = getattr(dbapi_connection, "info", None)
    if info is not None and hasattr(info, "transaction_status"):
        return info.transaction_status.name != "IDLE"  # psycopg
    return dbapi_connection.in_transaction  # sqlite3


def _statements_of_next_page(app, verb: str, arguments: dict) -> list[tuple[str, bool]]:
    """Each statement the second page of the list ran: its text, and whether a
    transaction was open once it had run."""
    client = app.test_client()
    first = harvest(client, verb=verb, **arguments)
    seen: list[tuple[str, bool]] = []

    def ran(connection, cursor, statement, *_) -> None:
        seen.append((statement, _in_transaction(connection.connection.dbapi_connection)))

    state = app.extensions["navette.oai"]
    engines = {state.reads.kw["bind"], state.sessions.kw["bind"]}
    for engine in engines:
        event.listen(engine, "after_cursor_execute", ran)
    try:
        second = harvest(client, verb=verb, resumptionToken=token(first).text)
    finally:
        for engine in engines:
            event.remove(engine, "after_cursor_execute", ran)
    assert identifiers(second)
    return seen


@requires_schemas
@pytest.mark.parametrize(("verb", "arguments"), LISTS)
def test_a_resumed_page_is_read_by_one_statement(app_factory, ten_films, verb, arguments):
    app = app_factory(page_size=3, identifiers_page_size=3)
    statements = _statements_of_next_page(app, verb, arguments)
    assert len(statements) == 1, statements


@requires_schemas
@pytest.mark.parametrize(("verb", "arguments"), LISTS)
def test_a_resumed_page_holds_no_transaction_open(app_factory, ten_films, verb, arguments):
    app = app_factory(page_size=3, identifiers_page_size=3)
    statements = _statements_of_next_page(app, verb, arguments)
    assert [is_open for _, is_open in statements] == [False]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_walk_goes_on_after_the_server_drops_the_connection_of_its_reads(
    app_factory, ten_films, pg_admin_url
):
    app = app_factory(page_size=3)
    client = app.test_client()
    reads = app.extensions["navette.oai"].reads
    listed, pages = [], [harvest(client, verb="ListRecords", metadataPrefix="oai_dc")]
    listed += identifiers(pages[-1])
    pages.append(harvest(client, verb="ListRecords", resumptionToken=token(pages[-1]).text))
    listed += identifiers(pages[-1])
    with reads() as session:
        backend = session.scalar(text("SELECT pg_backend_pid()"))
    admin = create_engine(normalise_url(pg_admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": backend})
    finally:
        admin.dispose()
    while (element := token(pages[-1])) is not None and element.text:
        pages.append(harvest(client, verb="ListRecords", resumptionToken=element.text))
        listed += identifiers(pages[-1])
    assert listed == walk(client, "ListRecords", metadataPrefix="oai_dc")[0]
    assert len(listed) == 10
