"""The six OAI-PMH verbs, answered from the store of record.

Each handler takes the parsed request and returns the pieces of the response
body; protocol errors are raised as ``OAIError``.  HTTP is the view's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from mappings.formats import FORMATS
from oai import repository, responses
from oai.arguments import OAIRequest
from oai.tokens import Tokens
from protocol import xml_ids
from protocol.dates import format_datestamp, parse_datestamp
from protocol.errors import (
    BadResumptionToken,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoMetadataFormats,
    NoRecordsMatch,
    NoSetHierarchy,
)


@dataclass
class ProviderConfig:
    repository_name: str
    repository_identifier: str
    admin_emails: list[str]
    page_size: int = 100
    identifiers_page_size: int = 500
    compression: list[str] = field(default_factory=lambda: ["gzip", "deflate"])
    #: The metadata prefixes served (NAVETTE_FORMATS).
    formats: list[str] = field(default_factory=lambda: list(FORMATS))


class Provider:
    def __init__(
        self, config: ProviderConfig, tokens: Tokens, session: Session, base_url: str
    ) -> None:
        self.config = config
        self.tokens = tokens
        self.session = session
        self.base_url = base_url
        self.prefix = f"oai:{config.repository_identifier}:"
        #: The resumption token the last list answer issued (None: that was its end).
        self.next_token: str | None = None

    # --- identifiers ---------------------------------------------------------------

    def oai_identifier(self, local: str) -> str:
        return self.prefix + local

    def local_identifier(self, oai_identifier: str) -> str | None:
        if oai_identifier.startswith(self.prefix) and len(oai_identifier) > len(self.prefix):
            return oai_identifier[len(self.prefix) :]
        return None

    def _record_row(self, oai_identifier: str):
        local = self.local_identifier(oai_identifier)
        row = repository.find(self.session, local) if local is not None else None
        if row is None:
            raise IdDoesNotExist("no item of this repository has that identifier")
        return row

    # --- verbs ---------------------------------------------------------------------

    def answer(self, request: OAIRequest, now: datetime) -> Iterable[str | bytes]:
        handler = {
            "Identify": self.identify,
            "ListMetadataFormats": self.list_metadata_formats,
            "ListSets": self.list_sets,
            "GetRecord": self.get_record,
            "ListIdentifiers": self.list_items,
            "ListRecords": self.list_items,
        }[request.verb]
        return handler(request, now)

    def identify(self, request: OAIRequest, now: datetime) -> list[str]:
        earliest = repository.earliest_datestamp(self.session) or now
        emails = "".join(
            f"<adminEmail>{responses.escape(e)}</adminEmail>" for e in self.config.admin_emails
        )
        compression = "".join(f"<compression>{c}</compression>" for c in self.config.compression)
        body = [
            "<Identify>",
            f"<repositoryName>{responses.escape(self.config.repository_name)}</repositoryName>",
            f"<baseURL>{responses.escape(self.base_url)}</baseURL>",
            "<protocolVersion>2.0</protocolVersion>",
            emails,
            f"<earliestDatestamp>{format_datestamp(earliest)}</earliestDatestamp>",
            "<deletedRecord>persistent</deletedRecord>",
            "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>",
            compression,
            "\n",
        ]
        sample = repository.sample_identifier(self.session)
        if sample is not None:
            body.append(
                responses.oai_identifier_description(
                    self.config.repository_identifier, self.oai_identifier(sample)
                )
            )
        body.append("</Identify>\n")
        return body

    def list_metadata_formats(self, request: OAIRequest, now: datetime) -> list[str]:
        prefixes = self.config.formats
        identifier = request.get("identifier")
        if identifier is not None:
            row = self._record_row(identifier)
            available = set(repository.formats_of(self.session, row.id))
            prefixes = [p for p in prefixes if p in available]
            if not prefixes:
                raise NoMetadataFormats("the item has no metadata (it has been deleted)")
        body = ["<ListMetadataFormats>\n"]
        for prefix in prefixes:
            metadata_format = FORMATS[prefix]
            body.append(
                "<metadataFormat>"
                f"<metadataPrefix>{prefix}</metadataPrefix>"
                f"<schema>{metadata_format.schema_url}</schema>"
                f"<metadataNamespace>{metadata_format.namespace}</metadataNamespace>"
                "</metadataFormat>\n"
            )
        body.append("</ListMetadataFormats>\n")
        return body

    def get_record(self, request: OAIRequest, now: datetime) -> list[str | bytes]:
        prefix = request.arguments["metadataPrefix"]
        if prefix not in self.config.formats:
            raise CannotDisseminateFormat(f"{prefix} is not a format of this repository")
        row = self._record_row(request.arguments["identifier"])
        metadata = None
        if not row.deleted:
            metadata = repository.rendering(self.session, row.id, prefix)
            if metadata is None:
                raise CannotDisseminateFormat(f"the item is not available as {prefix}")
        header = responses.header(
            self.oai_identifier(row.identifier),
            format_datestamp(row.datestamp),
            row.set_specs,
            row.deleted,
        )
        about = row.about if not row.deleted else None
        return ["<GetRecord>", responses.record(header, metadata, about), "</GetRecord>\n"]

    # --- lists ---------------------------------------------------------------------

    def _window(self, request: OAIRequest, now: datetime) -> tuple[repository.Window, dict]:
        """The selection of a fresh list request, and the state its tokens will carry."""
        prefix = request.arguments["metadataPrefix"]
        if prefix not in self.config.formats:
            raise CannotDisseminateFormat(f"{prefix} is not a format of this repository")
        set_spec = request.get("set")
        if set_spec is not None:
            if not repository.has_sets(self.session):
                raise NoSetHierarchy("this repository has no sets")
            if not repository.set_exists(self.session, set_spec):
                raise NoRecordsMatch("there is no such set in this repository")
        # The window closes at the first request, so the list a harvester walks
        # through does not grow under it: later changes go to the next harvest.
        end = min(request.end, now) if request.end is not None else now
        window = repository.Window(prefix, set_spec, request.start, end)
        state = {
            "p": prefix,
            "s": set_spec,
            "f": format_datestamp(request.start) if request.start else None,
            "u": format_datestamp(end),
        }
        return window, state

    def _resumed(
        self, verb: str, token: str
    ) -> tuple[repository.Window, dict, tuple[datetime, str], int, int]:
        """The token's window and state, and where the list stands: the key of the last
        item sent, the cursor and the list size."""
        state = self.tokens.read(verb, token)
        try:
            window = repository.Window(
                state["p"],
                state["s"],
                parse_datestamp(state["f"]) if state["f"] else None,
                parse_datestamp(state["u"]),
            )
            after = (parse_datestamp(state["d"]), state["i"])
            cursor, total = int(state["c"]), int(state["n"])
        except (KeyError, TypeError, ValueError) as error:
            raise BadResumptionToken("the resumption token is incomplete") from error
        if window.prefix not in self.config.formats:
            raise BadResumptionToken(
                "the resumption token names a format this repository does not serve"
            )
        return window, state, after, cursor, total

    def list_items(self, request: OAIRequest, now: datetime) -> Iterable[str | bytes]:
        verb = request.verb
        records = verb == "ListRecords"
        size = self.config.page_size if records else self.config.identifiers_page_size
        token = request.get("resumptionToken")
        if token is not None:
            window, state, after, cursor, total = self._resumed(verb, token)
        else:
            window, state = self._window(request, now)
            after, cursor, total = None, 0, 0
        items = repository.page(self.session, window, after, size + 1, with_metadata=records)
        more = len(items) > size
        items = items[:size]
        if not items:
            raise NoRecordsMatch("no record matches the request")
        if records:
            flagged = [item.metadata if item.declares_ids else None for item in items]
            fit = xml_ids.fitting(window.prefix, flagged)
            more, items = more or fit < len(items), items[:fit]
        if token is None:
            total = repository.count(self.session, window) if more else len(items)
        body: list[str | bytes] = [f"<{verb}>\n"]
        for item in items:
            header = responses.header(
                self.oai_identifier(item.identifier), item.datestamp, item.set_specs, item.deleted
            )
            if not records:
                body.append(header + "\n")
            elif item.deleted:
                body.append(responses.record(header, None, None))
            else:
                body.append(responses.record(header, item.metadata, item.about))
        if more:
            last = items[-1]
            state = {
                **state,
                "d": last.datestamp,
                "i": last.identifier,
                "c": cursor + len(items),
                "n": max(total, cursor + len(items) + 1),
            }
            issued = self.tokens.issue(verb, state)
            self.next_token = issued.token
            body.append(
                responses.resumption_token(issued.token, cursor, state["n"], issued.expires)
            )
        elif token is not None:
            body.append(responses.resumption_token("", cursor, cursor + len(items), None))
        body.append(f"</{verb}>\n")
        return body

    def list_sets(self, request: OAIRequest, now: datetime) -> list[str]:
        if not repository.has_sets(self.session):
            raise NoSetHierarchy("this repository has no sets")
        size = self.config.page_size
        token = request.get("resumptionToken")
        after, cursor, total = None, 0, 0
        if token is not None:
            state = self.tokens.read("ListSets", token)
            try:
                after, cursor, total = str(state["k"]), int(state["c"]), int(state["n"])
            except (KeyError, TypeError, ValueError) as error:
                raise BadResumptionToken("the resumption token is incomplete") from error
        rows = repository.sets_page(self.session, after, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if not rows:
            raise BadResumptionToken("the resumption token points past the last set")
        if token is None:
            total = repository.count_sets(self.session) if more else len(rows)
        body = ["<ListSets>\n"]
        for row in rows:
            description = ""
            if row.description:
                description = (
                    f"<setDescription>{responses.dc_description(row.description)}</setDescription>"
                )
            body.append(
                f"<set><setSpec>{responses.escape(row.spec)}</setSpec>"
                f"<setName>{responses.escape(row.name)}</setName>{description}</set>\n"
            )
        if more:
            state = {
                "k": rows[-1].spec,
                "c": cursor + len(rows),
                "n": max(total, cursor + len(rows) + 1),
            }
            issued = self.tokens.issue("ListSets", state)
            body.append(
                responses.resumption_token(issued.token, cursor, state["n"], issued.expires)
            )
        elif token is not None:
            body.append(responses.resumption_token("", cursor, cursor + len(rows), None))
        body.append("</ListSets>\n")
        return body
