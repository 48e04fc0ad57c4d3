"""Provenance of a harvested record -> the OAI ``about`` container's ``provenance``.

Follows the OAI provenance guidelines: one ``originDescription`` for the partner
we harvested from, with the partner's own ``originDescription`` (if it had one)
nested inside, so the whole chain of custody travels with the record.
"""

from __future__ import annotations

from catalogue.model import Provenance
from mappings.builder import Maker, Markup, foreign, to_text
from mappings.xmltext import has_illegal
from protocol.dates import format_datestamp
from protocol.namespaces import PROVENANCE, PROVENANCE_SCHEMA_URL, XSI, qname

NSMAP = {None: PROVENANCE, "xsi": XSI}
P = Maker(PROVENANCE, NSMAP)


def _document(provenance: Provenance) -> Markup:
    earlier = None
    if provenance.earlier_xml:
        earlier = foreign(provenance.earlier_xml, NSMAP)
    origin = P.originDescription(
        P.baseURL(provenance.base_url),
        P.identifier(provenance.identifier),
        P.datestamp(provenance.datestamp),
        P.metadataNamespace(provenance.metadata_namespace),
        earlier,
        harvestDate=format_datestamp(provenance.harvest_date),
        altered="true" if provenance.altered else "false",
    )
    return P.provenance(
        origin, {qname(XSI, "schemaLocation"): f"{PROVENANCE} {PROVENANCE_SCHEMA_URL}"}
    )


def about_xml(provenance: Provenance | None) -> str | None:
    """The serialised ``provenance`` element for the record's ``about``, or None."""
    if provenance is None:
        return None
    text = to_text(_document(provenance), NSMAP)
    if has_illegal(text):
        # A ValueError here, not a broken ``about`` in every response that carries it.
        raise ValueError(
            f"the provenance of {provenance.identifier!r} holds characters XML 1.0 cannot carry"
        )
    return text
