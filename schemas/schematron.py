"""Europeana's Schematron rules for EDM, run as Europeana runs them, offline.

Europeana's ingestion (Metis) checks every EDM record against the XSD and then
against its compiled Schematron, an XSLT 2.0 stylesheet that libxslt cannot run:
SaxonC-HE (``saxonche``) runs it here.  Its report (SVRL) lists each failed
assertion with the XPath of the element and Europeana's own message.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from lxml import etree

from schemas import registry
from schemas.validators import Problem

SVRL = "http://purl.oclc.org/dsdl/svrl"
_lock = threading.Lock()
_SPACES = re.compile(r"\s+")


class SchematronUnavailable(RuntimeError):
    """SaxonC-HE is not installed; the message says how to get it."""


@cache
def _compiled(path: str):
    try:
        from saxonche import PySaxonProcessor
    except ImportError as error:
        raise SchematronUnavailable(
            "Europeana's Schematron is XSLT 2.0 and needs SaxonC-HE: pip install saxonche"
        ) from error
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=path)
    return processor, executable


def _svrl(document: bytes) -> etree._Element:
    path = str(registry.schema_dir() / registry.EDM_SCHEMATRON)
    with _lock:  # one Saxon processor per process, used by one thread at a time
        processor, executable = _compiled(path)
        node = processor.parse_xml(xml_text=document.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=node)
    return etree.fromstring(report.encode("utf-8"))


def _plain(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


_LOCAL_NAME = re.compile(r"\*\[local-name\(\)='([^']+)'\]")


def _readable(location: str | None) -> str:
    """ "/*[local-name()='RDF']/*[local-name()='Aggregation']" -> "/RDF/Aggregation"."""
    return _LOCAL_NAME.sub(r"\1", _plain(location).replace(" ", ""))


def europeana_problems(document: etree._Element | bytes) -> list[Problem]:
    """Each assertion of Europeana's Schematron the EDM document fails, with its XPath."""
    if isinstance(document, etree._Element):
        document = etree.tostring(document, encoding="utf-8")
    report = _svrl(document)
    return [
        Problem(
            line=None,
            column=None,
            path=_readable(failed.get("location")),
            reason=f"Europeana Schematron: {_plain(failed.findtext(f'{{{SVRL}}}text'))}",
        )
        for failed in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
    ]
