"""One OAI-PMH ``record`` (or bare ``header``) read into its parts.

Shared by the harvester (records of a partner's feed) and the importer (records of an
OAI-PMH dump), so that both refuse the same records for the same reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from protocol.namespaces import OAI

_Q = "{%s}" % OAI


@dataclass
class OaiRecord:
    identifier: str | None
    datestamp: str | None
    deleted: bool
    #: The one element inside ``metadata`` (None for a deleted record or a header).
    metadata: etree._Element | None
    #: The first element inside ``about``, if any (provenance, usually).
    about: etree._Element | None
    #: Why the record cannot be taken, or None.
    problem: str | None = None


def read_oai_record(element: etree._Element) -> OaiRecord:
    """The parts of a ``record`` or ``header`` element, and what is wrong with it."""
    header = element.find(_Q + "header") if element.tag == _Q + "record" else element
    if header is None:
        return OaiRecord(None, None, False, None, None, "the record has no header")
    # Both are of types whose whitespace the schema collapses: a pretty-printed header
    # names the same record as a compact one.
    identifier = _collapsed(header.findtext(_Q + "identifier"))
    record = OaiRecord(
        identifier,
        _collapsed(header.findtext(_Q + "datestamp")),
        (header.get("status") or "").strip() == "deleted",
        None,
        None,
    )
    if not identifier:
        record.problem = "the record's header has no identifier"
    if element.tag != _Q + "record":
        return record
    container = element.find(_Q + "metadata")
    children = [c for c in container if isinstance(c.tag, str)] if container is not None else []
    if not record.deleted:
        if len(children) == 1:
            record.metadata = children[0]
        else:
            record.problem = record.problem or "the record has no metadata"
    about = element.find(_Q + "about")
    if about is not None:
        record.about = next((c for c in about if isinstance(c.tag, str)), None)
    return record


def _collapsed(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None
