"""The XML of OAI-PMH responses.

Responses are written as text: the stored renderings are embedded as they were
serialised when the record was written, so a page of records costs string joins,
not tree building.  Every value that did not come from a stored rendering goes
through ``escape``/``attribute``, which also drop what XML 1.0 cannot carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from mappings import xmltext
from protocol.dates import format_datestamp
from protocol.namespaces import (
    DC,
    OAI,
    OAI_DC,
    OAI_DC_SCHEMA_URL,
    OAI_IDENTIFIER,
    OAI_IDENTIFIER_SCHEMA_URL,
    OAI_SCHEMA_URL,
    XSI,
)


def escape(text: str) -> str:
    """``text`` as XML character data.  Nearly every identifier and set spec needs no
    change, and one search says so."""
    if not xmltext.needs_escaping(text):
        return text
    return _escape(xmltext.clean(text))


def attribute(text: str) -> str:
    return quoteattr(xmltext.clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def envelope(
    response_date: datetime,
    base_url: str,
    arguments: dict[str, str] | None,
    body: Iterable[str | bytes],
    stylesheet: str | None,
) -> Iterable[str | bytes]:
    """The whole response, in pieces (``arguments`` None: a request element without them)."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if stylesheet:
        yield f'<?xml-stylesheet type="text/xsl" href={attribute(stylesheet)}?>\n'
    yield (
        f'<OAI-PMH xmlns="{OAI}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI} {OAI_SCHEMA_URL}">\n'
        f"<responseDate>{format_datestamp(response_date)}</responseDate>\n"
    )
    echoed = "".join(
        f" {name}={attribute(value)}" for name, value in sorted((arguments or {}).items())
    )
    yield f"<request{echoed}>{escape(base_url)}</request>\n"
    yield from body
    yield "</OAI-PMH>\n"


def joined(pieces: Iterable[str | bytes]) -> bytes:
    """A response's pieces as one UTF-8 body: stored renderings come as bytes and are
    copied as they are; the text around them is encoded."""
    return b"".join(piece if isinstance(piece, bytes) else piece.encode() for piece in pieces)


def errors(found: list[tuple[str, str]]) -> Iterable[str]:
    for code, message in found:
        yield f'<error code="{code}">{escape(message)}</error>\n'


def header(oai_identifier: str, datestamp: str, set_specs: str, deleted: bool) -> str:
    """``datestamp`` as OAI-PMH writes it (the store's query formats it); ``set_specs``
    as the store keeps them, space-separated."""
    status = ' status="deleted"' if deleted else ""
    return (
        f"<header{status}><identifier>{escape(oai_identifier)}</identifier>"
        f"<datestamp>{datestamp}</datestamp>{set_specs_xml(set_specs)}</header>"
    )


@lru_cache(maxsize=4096)
def set_specs_xml(set_specs: str) -> str:
    """The ``setSpec`` elements of a header.  A pure function of the stored string, which
    a catalogue's records share by the hundred (a series, a subject, an archive and
    their parents): a page writes each combination once."""
    return "".join(f"<setSpec>{escape(spec)}</setSpec>" for spec in set_specs.split())


def record(header_xml: str, metadata: bytes | None, about: str | None) -> bytes:
    """A record, as bytes: its stored rendering goes into the response untouched."""
    if metadata is None:
        return f"<record>{header_xml}</record>\n".encode()
    about_xml = f"<about>{about}</about>" if about else ""
    return b"".join(
        (
            f"<record>{header_xml}<metadata>".encode(),
            metadata,
            f"</metadata>{about_xml}</record>\n".encode(),
        )
    )


def resumption_token(
    token: str, cursor: int, complete_list_size: int, expires: datetime | None
) -> str:
    expiration = f' expirationDate="{format_datestamp(expires)}"' if expires is not None else ""
    return (
        f'<resumptionToken completeListSize="{complete_list_size}" cursor="{cursor}"'
        f"{expiration}>{escape(token)}</resumptionToken>\n"
    )


def oai_identifier_description(repository_identifier: str, sample: str) -> str:
    return (
        f'<description><oai-identifier xmlns="{OAI_IDENTIFIER}" '
        f'xsi:schemaLocation="{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA_URL}">'
        "<scheme>oai</scheme>"
        f"<repositoryIdentifier>{escape(repository_identifier)}</repositoryIdentifier>"
        "<delimiter>:</delimiter>"
        f"<sampleIdentifier>{escape(sample)}</sampleIdentifier>"
        "</oai-identifier></description>\n"
    )


def dc_description(text: str) -> str:
    """An oai_dc container holding one dc:description (for setDescription)."""
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" '
        f'xsi:schemaLocation="{OAI_DC} {OAI_DC_SCHEMA_URL}">'
        f"<dc:description>{escape(text)}</dc:description></oai_dc:dc>"
    )
