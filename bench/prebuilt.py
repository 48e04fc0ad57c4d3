"""The cheapest layout a store could have for a ListRecords walk, for floors to measure
against: every ``<record>`` element written whole in advance, one row per record and
format in a ``listing`` table beside Navette's own, read in list order along its index.

It is filled from the store through Navette's model, so that renderings kept packed
(``catalogue.packing``) are listed as the text a client receives, kept as the UTF-8
bytes a page copies (read in binary through psycopg: as text, bytea doubles and costs
twice as long to read); the datestamp is kept as the text a header carries,
which sorts as the time does, on SQLite and PostgreSQL alike.
``bench/prebuilt_page_app.py`` serves it; ``bench/serve_budget.py`` walks it through
the bare driver.
"""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.orm import Session

from catalogue.database import normalise_url
from catalogue.tables import RecordRow, Rendering
from navette.config import Settings
from protocol.dates import format_datestamp

#: Read by the apps and walks: the page after a keyset, in list order.
PAGE = """SELECT xml, datestamp, identifier FROM listing WHERE prefix = {p}
AND (datestamp, identifier) > ({p}, {p}) ORDER BY datestamp, identifier LIMIT {p}"""

#: Where a walk starts: before every keyset.
START = ("", "")

#: Each database's parameter mark.
MARKS = {"sqlite": "?", "postgresql": "%s"}


def page_sql(database: str) -> str:
    """The page statement for ``database`` ("sqlite" or "postgresql")."""
    return PAGE.format(p=MARKS[database])


_metadata = MetaData()
listing = Table(
    "listing",
    _metadata,
    Column("prefix", String(32)),
    Column("datestamp", String(20)),
    Column("identifier", String(255)),
    Column("xml", LargeBinary),
)
BATCH = 5_000
#: Navette's repository identifier when none is set, so that headers weigh the same.
REPOSITORY = Settings().repository_identifier


def _record(identifier: str, datestamp: str, set_specs: str, xml: str) -> str:
    specs = "".join(f"<setSpec>{spec}</setSpec>" for spec in set_specs.split())
    return (
        f"<record><header><identifier>oai:{REPOSITORY}:{identifier}</identifier>"
        f"<datestamp>{datestamp}</datestamp>{specs}</header>"
        f"<metadata>{xml}</metadata></record>"
    )


def prebuild(url: str) -> None:
    """Write the ``listing`` table, with its index, into the filled store at ``url``."""
    engine = create_engine(normalise_url(url))
    listing.drop(engine, checkfirst=True)
    listing.create(engine)
    if engine.dialect.name == "postgresql":
        # Kept in the row, compressed with LZ4: the fastest of PostgreSQL's layouts to
        # read (measured against out-of-line, uncompressed and pglz, 5,000 records).
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "ALTER TABLE listing ALTER COLUMN xml SET COMPRESSION lz4, "
                "ALTER COLUMN xml SET STORAGE MAIN"
            )
    rows = (
        select(RecordRow.identifier, RecordRow.datestamp, RecordRow.set_specs, Rendering)
        .join(Rendering, Rendering.record_id == RecordRow.id)
        .where(RecordRow.deleted.is_(False))
        .execution_options(yield_per=BATCH)
    )
    with Session(engine) as reading, engine.begin() as writing:
        batch = []
        for identifier, datestamp, set_specs, rendering in reading.execute(rows):
            stamp = format_datestamp(datestamp)
            xml = _record(identifier, stamp, set_specs, rendering.xml)
            row = {"prefix": rendering.prefix, "datestamp": stamp, "identifier": identifier}
            batch.append({**row, "xml": xml.encode()})
            reading.expunge(rendering)
            if len(batch) == BATCH:
                writing.execute(insert(listing), batch)
                batch = []
        if batch:
            writing.execute(insert(listing), batch)
        writing.exec_driver_sql(
            "CREATE INDEX listing_order ON listing (prefix, datestamp, identifier)"
        )
        writing.exec_driver_sql("ANALYZE listing")
    engine.dispose()
