"""pyoai's server (``oaipmh.server.BatchingServer``, oaipmh 4.x) as a WSGI app, over the
same records Navette serves (the same SQLite store).

The backend is written the way pyoai is meant to be used: its batching interface
asks for a cursor and a batch size (so the query pages by OFFSET), each record
becomes a ``Metadata`` map of Dublin Core fields, and pyoai's own ``oai_dc_writer``
writes the XML.  Run it as ``gunicorn bench.pyoai_app:app`` with ``BENCH_DATABASE``
set to the store's file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime
from urllib.parse import parse_qs

from oaipmh import common, error
from oaipmh.metadata import MetadataRegistry
from oaipmh.server import BatchingServer, oai_dc_writer

DATABASE = os.environ.get("BENCH_DATABASE", "bench.db")
PREFIX = "oai:navette.example.org:"
OAI_DC = (
    "oai_dc",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/",
)
DC_FIELDS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)

_local = threading.local()


def _connection() -> sqlite3.Connection:
    if not hasattr(_local, "connection"):
        _local.connection = sqlite3.connect(DATABASE, check_same_thread=False)
    return _local.connection


def _dc_map(data: dict) -> dict[str, list[str]]:
    """The record's Dublin Core fields, as pyoai's writer takes them."""
    texts = lambda name: [t["value"] for t in data.get(name, [])]  # noqa: E731
    people = []
    for credit in data.get("credits", []):
        person = credit.get("person")
        people.append(
            f"{person['family_name']}, {person.get('given_name', '')}"
            if person
            else credit.get("organisation", "")
        )
    return {
        **{name: [] for name in DC_FIELDS},
        "title": texts("titles"),
        "creator": people[:2],
        "contributor": people[2:] + data.get("laboratories", []),
        "subject": texts("subjects"),
        "description": texts("abstracts") + texts("process") + texts("notes"),
        "date": [str(data["production_year"])] if "production_year" in data else [],
        "type": ["MovingImage"],
        "format": [data.get("definition", ""), data.get("aspect_ratio", "")],
        "identifier": [data.get("landing_page", ""), data.get("item_number", "")],
        "language": data.get("languages", []),
        "relation": texts("series"),
        "rights": texts("rights"),
    }


class Backend:
    def identify(self):
        return common.Identify(
            repositoryName="pyoai over the Navette store",
            baseURL="http://127.0.0.1/oai",
            protocolVersion="2.0",
            adminEmails=["bench@example.org"],
            earliestDatestamp=datetime(2020, 1, 1),
            deletedRecord="persistent",
            granularity="YYYY-MM-DDThh:mm:ssZ",
            compression=["identity"],
        )

    def listMetadataFormats(self, identifier=None):
        return [OAI_DC]

    def listSets(self, cursor=0, batch_size=10):
        raise error.NoSetHierarchyError("no sets")

    def _record(self, identifier, stamp, data):
        header = common.Header(None, PREFIX + identifier, datetime.fromisoformat(stamp), [], False)
        return header, common.Metadata(None, _dc_map(json.loads(data))), None

    def listRecords(
        self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10
    ):
        if metadataPrefix != "oai_dc":
            raise error.CannotDisseminateFormatError(metadataPrefix)
        rows = _connection().execute(
            "SELECT identifier, datestamp, data FROM records "
            "ORDER BY datestamp, identifier LIMIT ? OFFSET ?",
            (batch_size, cursor),
        )
        return [self._record(*row) for row in rows]

    def listIdentifiers(
        self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10
    ):
        return [
            header
            for header, _, _ in self.listRecords(
                metadataPrefix, set, from_, until, cursor, batch_size
            )
        ]

    def getRecord(self, metadataPrefix, identifier):
        row = (
            _connection()
            .execute(
                "SELECT identifier, datestamp, data FROM records WHERE identifier = ?",
                (identifier[len(PREFIX) :],),
            )
            .fetchone()
        )
        if row is None:
            raise error.IdDoesNotExistError(identifier)
        return self._record(*row)


registry = MetadataRegistry()
registry.registerWriter("oai_dc", oai_dc_writer)
server = BatchingServer(Backend(), registry, resumption_batch_size=100)


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    body = server.handleRequest({key: values[0] for key, values in query.items()})
    if isinstance(body, str):
        body = body.encode("utf-8")
    start_response(
        "200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]
