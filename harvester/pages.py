"""Reading one OAI-PMH list response: its records, its token, its errors.

A page whose XML is broken inside one record (an illegal character, an unescaped
``&``) is read record by record, so that only the broken record is quarantined
and its neighbours go in.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from lxml import etree

from harvester.cutting import cut
from harvester.excerpts import excerpt
from mappings.oai_record import OaiRecord, read_oai_record
from mappings.safexml import UnsafeXML, parse
from protocol.errors import OAIError, from_code
from protocol.failures import in_words
from protocol.namespaces import OAI

_Q = "{%s}" % OAI
_ROOT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,63}:)?OAI-PMH\b[^<>]{0,4096}>")
_IDENTIFIER = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,63}:)?identifier>\s*([^<]{0,1024}?)\s*</")
_DECLARATION = re.compile(
    rb"""^(\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["'](?P<name>[A-Za-z0-9._-]+)["']"""
)
#: Seconds a broken page may take to be read record by record, all records together.
READ_BUDGET = 60.0
#: Labels a partner writes while its bytes are UTF-8 more often than not.
_SINGLE_BYTE = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "windows-1252", "cp1252"}


class PageError(ValueError):
    """The page cannot be read at all (its envelope is broken)."""


@dataclass
class RawRecord(OaiRecord):
    """A record of a page with the XML it came in (kept for quarantine and workers)."""

    xml: str = ""


@dataclass
class Page:
    response_date: str | None
    records: list[RawRecord] = field(default_factory=list)
    headers: list[RawRecord] = field(default_factory=list)
    token: str | None = None
    complete_list_size: int | None = None
    cursor: int | None = None
    errors: list[OAIError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    identify: etree._Element | None = None
    formats: list[tuple[str, str]] = field(default_factory=list)


def read_record(element: etree._Element, xml: str | None = None) -> RawRecord:
    """The record ``element`` holds; ``xml`` is its text when the caller has it already."""
    parts = read_oai_record(element)
    if xml is None:
        xml = etree.tostring(element, encoding="unicode")
    return RawRecord(**vars(parts), xml=xml)


def _token(page: Page, element: etree._Element | None) -> None:
    if element is None:
        return
    page.token = (element.text or "").strip() or None
    page.complete_list_size = _number(element.get("completeListSize"))
    page.cursor = _number(element.get("cursor"))


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


def _read(root: etree._Element, page: Page) -> None:
    if root.tag != _Q + "OAI-PMH":
        raise PageError(f"the root element is {root.tag}, not OAI-PMH")
    page.response_date = root.findtext(_Q + "responseDate")
    page.errors = [
        from_code(excerpt(e.get("code", "")), excerpt(e.text or "", 300))
        for e in root.findall(_Q + "error")
    ]
    for verb in ("ListRecords", "ListIdentifiers", "GetRecord"):
        container = root.find(_Q + verb)
        if container is None:
            continue
        for child in container:
            if child.tag == _Q + "record":
                page.records.append(read_record(child))
            elif child.tag == _Q + "header":
                page.headers.append(read_record(child))
        _token(page, container.find(_Q + "resumptionToken"))
    page.identify = root.find(_Q + "Identify")
    for metadata_format in root.iterfind(f"{_Q}ListMetadataFormats/{_Q}metadataFormat"):
        page.formats.append(
            (
                metadata_format.findtext(_Q + "metadataPrefix", "").strip(),
                metadata_format.findtext(_Q + "metadataNamespace", "").strip(),
            )
        )


def _salvage(body: bytes, first_error: str, budget: float = READ_BUDGET) -> Page:
    """Read a page whose XML is broken: the envelope without its records, then each record.

    The page is cut up in one pass (``harvester.cutting``) and each record parsed on its
    own, so the time grows with the page, not its square; ``budget`` bounds it as a whole.
    """
    deadline = time.monotonic() + budget
    root_tag = _ROOT_TAG.search(body, 0, 4096)
    if root_tag is None:
        raise PageError(first_error)
    pieces = cut(body)
    try:
        page = Page(None)
        _read(parse(pieces.envelope), page)
    except etree.XMLSyntaxError as error:
        raise PageError(f"outside its records, {in_words(error)}") from error
    except UnsafeXML as error:
        raise PageError(str(error)) from error
    opening = root_tag.group(0) + b"<ListRecords>"
    closing = b"</ListRecords></" + root_tag.group(0)[1:].split()[0].rstrip(b">") + b">"
    for chunk in pieces.records:
        if time.monotonic() > deadline:
            raise PageError(
                f"the page is so broken that reading it record by record took more than "
                f"{budget:g} s ({len(pieces.records)} records)"
            )
        page.records.append(_one(opening + chunk + closing, chunk))
    page.warnings.append(f"the page was {first_error}; read record by record")
    if pieces.stray:
        page.warnings.append(
            f"{pieces.stray} bytes between records that belong to no record ignored"
        )
    return page


def _one(wrapped: bytes, chunk: bytes) -> RawRecord:
    """The record ``chunk`` holds, or a record to quarantine with the reason it cannot be read."""
    try:
        single = Page(None)
        _read(parse(wrapped), single)
        if len(single.records) == 1:
            return single.records[0]
        reason = "not one OAI-PMH record"
    except etree.XMLSyntaxError as error:
        reason = in_words(error)
    except (UnsafeXML, PageError) as error:
        reason = f"not well-formed XML: {error}"
    found = _IDENTIFIER.search(chunk, 0, 16384)
    identifier = found.group(1).decode("utf-8", "replace") if found else None
    text = chunk.decode("utf-8", "replace")
    return RawRecord(identifier, None, False, None, None, reason, xml=text)


def utf8_behind_a_latin1_label(body: bytes) -> tuple[bytes, str | None]:
    """The page read as UTF-8 when it says Latin-1 or Windows-1252 but its bytes are UTF-8.

    Text in either single-byte encoding is almost never valid multi-byte UTF-8 (an
    accented letter followed by a symbol from 0x80-0xBF), while a partner that writes
    UTF-8 under a copied declaration is common: read as labelled, every accent would be
    stored as two wrong letters ("Ã©" for "é").  The change is said in the run report.
    """
    declared = _DECLARATION.match(body[:256])
    if declared is None or declared.group("name").decode().lower() not in _SINGLE_BYTE:
        return body, None
    if body.isascii():
        return body, None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body, None
    start, end = declared.span("name")
    label = declared.group("name").decode("ascii")
    return (
        body[:start] + b"UTF-8" + body[end:],
        f"the page declares {label} but its bytes are UTF-8: read as UTF-8",
    )


def parse_page(body: bytes) -> Page:
    body, relabelled = utf8_behind_a_latin1_label(body)
    page = _parse_page(body)
    if relabelled:
        page.warnings.append(relabelled)
    return page


def _parse_page(body: bytes) -> Page:
    try:
        root = parse(body)
    except UnsafeXML as error:
        raise PageError(str(error)) from error
    except etree.XMLSyntaxError as error:
        return _salvage(body, in_words(error))
    page = Page(None)
    _read(root, page)
    return page
