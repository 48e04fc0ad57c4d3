"""Parsing XML that comes from outside, safely.

Partner feeds and dropped files are untrusted: no DTD is loaded, no entity is
expanded, nothing is fetched, and a document that declares a DOCTYPE is refused
outright (external entities, external DTDs and entity-expansion bombs all need
one).
"""

from __future__ import annotations

import threading

from lxml import etree

_per_thread = threading.local()


class UnsafeXML(ValueError):
    """The document was refused before its content was read; the message says why."""


def _parser() -> etree.XMLParser:
    """One parser per thread (lxml's parsers are not shared between threads), made
    once: a harvest parses every record it maps."""
    parser = getattr(_per_thread, "parser", None)
    if parser is None:
        parser = _per_thread.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
        )
    return parser


def parse(data: bytes) -> etree._Element:
    """The root element of ``data``; XMLSyntaxError if malformed, UnsafeXML if hostile."""
    tree = etree.fromstring(data, _parser()).getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeXML("a DOCTYPE declaration is not accepted (entities and DTDs are refused)")
    return tree.getroot()


def indented(xml: str) -> str:
    """XML indented for a person to read (stored renderings are compact, partners' records
    come as they come); what does not parse, or parses as hostile, is given back as it is."""
    try:
        root = parse(xml.encode())
    except (etree.XMLSyntaxError, UnsafeXML):
        return xml
    etree.indent(root)
    return etree.tostring(root, encoding="unicode")
