"""A fake partner archive on loopback HTTP: a real OAI-PMH repository with scripted faults.

It serves its records through ListRecords/ListIdentifiers with its own paging,
so a harvester talks to it over real sockets exactly as to a remote archive.
Each fault is a function of the request: it may answer in place of the
repository (an HTTP status, a broken body, a closed connection, a delay).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse
from xml.sax.saxutils import escape, quoteattr

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
EBUCORE = "urn:ebu:metadata-schema:ebucore"


def dc_metadata(title: str, extra: str = "") -> str:
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}">'
        f"<dc:title>{escape(title)}</dc:title>{extra}</oai_dc:dc>"
    )


@dataclass
class PartnerRecord:
    identifier: str
    datestamp: str
    title: str = "A film"
    deleted: bool = False
    #: Raw metadata XML; by default oai_dc with the title.
    metadata: str | None = None
    #: Raw XML put in place of the whole <record> (to break a record on purpose).
    raw: str | None = None
    #: The sets it belongs to (its header's setSpecs).
    sets: tuple[str, ...] = ()

    def header(self) -> str:
        status = ' status="deleted"' if self.deleted else ""
        specs = "".join(f"<setSpec>{escape(spec)}</setSpec>" for spec in self.sets)
        return (
            f"<header{status}><identifier>{escape(self.identifier)}</identifier>"
            f"<datestamp>{self.datestamp}</datestamp>{specs}</header>"
        )

    def xml(self) -> str:
        if self.raw is not None:
            return self.raw
        header = self.header()
        if self.deleted:
            return f"<record>{header}</record>"
        body = self.metadata or dc_metadata(self.title)
        return f"<record>{header}<metadata>{body}</metadata></record>"


@dataclass
class Reply:
    """What a fault answers instead of the repository."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    close: bool = False
    delay: float = 0.0
    #: Seconds between bytes: the body trickles in one byte at a time.
    drip: float = 0.0
    #: Whether to announce Content-Length (without it, the closed connection ends the body).
    length: bool = True


Fault = Callable[[int, dict[str, str]], Reply | None]


class Partner:
    def __init__(
        self,
        records: list[PartnerRecord],
        page_size: int = 3,
        granularity: str = "YYYY-MM-DDThh:mm:ssZ",
        deleted_record: str = "persistent",
        formats: tuple[str, ...] = ("oai_dc",),
    ) -> None:
        self.records = records
        self.page_size = page_size
        self.granularity = granularity
        self.deleted_record = deleted_record
        self.formats = formats
        self.faults: list[Fault] = []
        self.requests: list[dict[str, str]] = []
        self.response_date = "2024-06-01T10:00:00Z"
        self.token_generation = 0
        #: Token text -> how it is written, for tests that break tokens on purpose.
        self.token_writer: Callable[[str, int, int], str] | None = None
        self.reject_seconds = False
        self.page_delay = 0.0
        #: Lists in datestamp order (False: in the order of ``records``, duplicates and all).
        self.sort = True
        #: The prefixes its lists answer in, listed or not (None: those it lists).
        self.serves: tuple[str, ...] | None = None
        partner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                params = dict(parse_qsl(urlparse(self.path).query, keep_blank_values=True))
                partner._answer(self, params)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/oai"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- answering --------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        number = len(self.requests)
        self.requests.append(params)
        for fault in self.faults:
            reply = fault(number, params)
            if reply is not None:
                break
        else:
            if self.page_delay:
                time.sleep(self.page_delay)
            reply = Reply(
                body=self.respond(params).encode("utf-8"),
                headers={"Content-Type": "text/xml; charset=utf-8"},
            )
        if reply.delay:
            time.sleep(reply.delay)
        if reply.close:
            handler.close_connection = True
            try:
                handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<OAI")
                handler.wfile.flush()
                handler.connection.shutdown(2)
            except OSError:
                pass
            return
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.length:
                handler.send_header("Content-Length", str(len(reply.body)))
            else:
                handler.close_connection = True
            handler.end_headers()
            if reply.drip:
                for byte in reply.body:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(reply.drip)
            else:
                handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the harvester gave up waiting (a read timeout under test)

    def envelope(self, params: dict[str, str], body: str) -> str:
        request = "".join(f" {k}={quoteattr(v)}" for k, v in params.items() if k == "verb")
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="{OAI}">'
            f"<responseDate>{self.response_date}</responseDate>"
            f"<request{request}>{self.url}</request>{body}</OAI-PMH>"
        )

    def error(self, params, code: str) -> str:
        return self.envelope(params, f'<error code="{code}">{code}</error>')

    def _window(self, params: dict[str, str]) -> list[PartnerRecord]:
        selected = list(self.records)
        if self.sort:
            selected.sort(key=lambda r: (r.datestamp, r.identifier))
        if params.get("set"):
            selected = [r for r in selected if params["set"] in r.sets]
        start, end = params.get("from"), params.get("until")
        if start:
            selected = [r for r in selected if r.datestamp[: len(start)] >= start]
        if end:
            selected = [r for r in selected if r.datestamp[: len(end)] <= end]
        return selected

    def _token(self, params: dict[str, str], cursor: int, total: int) -> str:
        """The token for the page after the one starting at ``cursor`` (items sent before it)."""
        following = cursor + self.page_size
        text = (
            f"{self.token_generation}|{following}|{params.get('from', '')}|{params['verb']}"
            f"|{params.get('set', '')}|{params.get('metadataPrefix', '')}"
        )
        if self.token_writer is not None:
            return self.token_writer(text, cursor, total)
        return (
            f'<resumptionToken completeListSize="{total}" cursor="{cursor}">'
            f"{text}</resumptionToken>"
        )

    def respond(self, params: dict[str, str]) -> str:
        verb = params.get("verb")
        if verb == "Identify":
            return self.envelope(
                params,
                "<Identify><repositoryName>Partner</repositoryName>"
                f"<baseURL>{self.url}</baseURL><protocolVersion>2.0</protocolVersion>"
                "<adminEmail>a@partner.example.org</adminEmail>"
                "<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp>"
                f"<deletedRecord>{self.deleted_record}</deletedRecord>"
                f"<granularity>{self.granularity}</granularity></Identify>",
            )
        if verb == "ListMetadataFormats":
            namespaces = {
                "oai_dc": OAI_DC,
                "ebucore": EBUCORE,
                "marc21": "http://www.loc.gov/MARC21/slim",
                "mods": "http://www.loc.gov/mods/v3",
                "edm": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            }
            formats = "".join(
                f"<metadataFormat><metadataPrefix>{p}</metadataPrefix><schema>x</schema>"
                f"<metadataNamespace>{namespaces[p]}</metadataNamespace></metadataFormat>"
                for p in self.formats
            )
            return self.envelope(params, f"<ListMetadataFormats>{formats}</ListMetadataFormats>")
        if verb not in ("ListRecords", "ListIdentifiers"):
            return self.error(params, "badVerb")
        if "resumptionToken" in params:
            try:
                parts = [*params["resumptionToken"].split("|"), "", ""]
                generation, offset, start, token_verb, set_spec, prefix = parts[:6]
                offset = int(offset)
            except ValueError:
                return self.error(params, "badResumptionToken")
            if int(generation) != self.token_generation or token_verb != verb:
                return self.error(params, "badResumptionToken")
            window_params = {"verb": verb, "from": start, "set": set_spec, "metadataPrefix": prefix}
            window_params = {k: v for k, v in window_params.items() if v}
        else:
            if self.reject_seconds and "T" in params.get("from", ""):
                return self.error(params, "badArgument")
            offset = 0
            window_params = params
            served = self.formats if self.serves is None else self.serves
            if params.get("metadataPrefix") not in served:
                return self.error(params, "cannotDisseminateFormat")
        selected = self._window(window_params)
        if not selected:
            return self.error(params, "noRecordsMatch")
        page = selected[offset : offset + self.page_size]
        more = offset + self.page_size < len(selected)
        if verb == "ListRecords":
            items = "".join(r.xml() for r in page)
        else:
            items = "".join(r.header() for r in page)
        token = ""
        if more:
            token = self._token(window_params, offset, len(selected))
        elif offset:
            token = f'<resumptionToken completeListSize="{len(selected)}" cursor="{offset}"/>'
        return self.envelope(params, f"<{verb}>{items}{token}</{verb}>")


def films(count: int, start: datetime = datetime(2024, 5, 1)) -> list[PartnerRecord]:
    return [
        PartnerRecord(
            identifier=f"oai:partner.example.org:{n:03d}",
            datestamp=f"2024-05-{1 + n // 24:02d}T{n % 24:02d}:00:00Z",
            title=f"Partner film {n:03d}",
        )
        for n in range(count)
    ]
