"""Recorded OAI-PMH feeds of real repositories, replayed byte for byte over loopback HTTP.

The recordings live in ``../shared/examples/realworld`` (``feeds.json`` and SOURCES.md
say where each comes from).  The first ListRecords request gets page 1; a resumption
token gets the page that followed the page carrying it.  Identify and
ListMetadataFormats are the recorded ones where they were recorded, else minimal
valid answers offering the feed's format.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

from tests.conftest import ROOT

REALWORLD = ROOT.parent / "shared" / "examples" / "realworld"
#: The second set (``realworld2/SOURCES.md``): one folder a feed, its bodies and feed.json.
REALWORLD2 = ROOT.parent / "shared" / "examples" / "realworld2"
_TOKEN = re.compile(rb"<(?:[\w.-]+:)?resumptionToken[^>]*>([^<]+)</", re.DOTALL)
NAMESPACES = {
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "datacite": "http://datacite.org/schema/kernel-4",
    "oai_doaj": "http://doaj.org/features/oai_doaj/1.0/",
    "marc21": "http://www.loc.gov/MARC21/slim",
    "mods": "http://www.loc.gov/mods/v3",
}


def feeds() -> dict[str, dict]:
    """The recorded feeds by name; empty where the recordings are absent."""
    index = REALWORLD / "feeds.json"
    return json.loads(index.read_text()) if index.exists() else {}


@dataclass
class Feed:
    name: str
    folder: Path
    pages: list[bytes]
    identify: bytes | None
    formats: bytes | None
    prefix: str

    @classmethod
    def load(cls, name: str) -> Feed:
        facts = feeds()[name]
        folder = REALWORLD / name

        def read(file: str | None) -> bytes | None:
            return (folder / file).read_bytes() if file else None

        return cls(
            name,
            folder,
            [(folder / page).read_bytes() for page in facts["pages"]],
            read(facts["identify"]),
            read(facts["formats"]),
            facts["prefix"] or "oai_dc",
        )


def recorded_feeds(prefixes: tuple[str, ...] = ("oai_dc", "marc21", "mods")) -> list[str]:
    """The second set's feeds in ``prefixes`` answered without a redirect (folder names)."""
    names = []
    for index in sorted(REALWORLD2.glob("*/feed.json")):
        facts = json.loads(index.read_text())
        statuses = {i["status"] for i in facts["interactions"]}
        if facts["prefix"] in prefixes and statuses == {200}:
            names.append(index.parent.name)
    return names


def recorded(folder_name: str) -> Feed:
    """A feed of the second set, its bodies as the repository sent them (gzip undone)."""
    folder = REALWORLD2 / folder_name
    facts = json.loads((folder / "feed.json").read_text())
    pages = []
    for interaction in facts["interactions"]:
        body = (folder / interaction["file"]).read_bytes()
        if interaction.get("content_encoding") == "gzip":
            body = gzip.decompress(body)
        pages.append(body)
    return Feed(folder_name, folder, pages, None, None, facts["prefix"])


class Replay:
    """A loopback server answering as the recorded repository did."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.following = {}
        for number, page in enumerate(feed.pages[:-1]):
            found = _TOKEN.search(page)
            if found:
                self.following[found.group(1).strip().decode()] = number + 1
        self.requests: list[dict[str, str]] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                params = dict(parse_qsl(urlparse(self.path).query, keep_blank_values=True))
                replay.requests.append(params)
                body = replay.answer(params)
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/oai"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _envelope(self, body: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>2026-01-01T00:00:00Z</responseDate><request>{self.url}</request>"
            f"{body}</OAI-PMH>"
        ).encode()

    def answer(self, params: dict[str, str]) -> bytes:
        verb = params.get("verb")
        if verb == "Identify":
            return self.feed.identify or self._envelope(
                f"<Identify><repositoryName>{self.feed.name}</repositoryName>"
                f"<baseURL>{self.url}</baseURL><protocolVersion>2.0</protocolVersion>"
                "<adminEmail>admin@example.org</adminEmail>"
                "<earliestDatestamp>2000-01-01</earliestDatestamp>"
                "<deletedRecord>persistent</deletedRecord>"
                "<granularity>YYYY-MM-DD</granularity></Identify>"
            )
        if verb == "ListMetadataFormats":
            prefix = self.feed.prefix
            return self.feed.formats or self._envelope(
                f"<ListMetadataFormats><metadataFormat><metadataPrefix>{prefix}</metadataPrefix>"
                "<schema>http://example.org/schema.xsd</schema>"
                f"<metadataNamespace>{NAMESPACES[prefix]}</metadataNamespace>"
                "</metadataFormat></ListMetadataFormats>"
            )
        if verb == "ListRecords":
            token = params.get("resumptionToken", "").strip()
            if not token:
                return self.feed.pages[0]
            if token in self.following:
                return self.feed.pages[self.following[token]]
            return self._envelope('<error code="badResumptionToken">unknown</error>')
        return self._envelope('<error code="badVerb">not recorded</error>')
