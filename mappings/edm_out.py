"""Catalogue record -> EDM, the Europeana Data Model, as Europeana ingests it over OAI-PMH.

One ``rdf:RDF`` holds the film (``edm:ProvidedCHO``), the storyboard images
(``edm:WebResource``) and the ``ore:Aggregation`` that says who provides the record,
where it is shown (``edm:isShownAt``: the landing page) and under which rights
(``edm:rights``, a URI Europeana accepts).  Valid against EDM.xsd and Europeana's
Schematron; ``docs/mappings.md`` says what each element holds and what is lost.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from catalogue.model import Record, Text
from mappings.builder import Maker, Markup, to_text
from mappings.dc_out import credit_name, technical_formats
from mappings.durations import to_iso
from mappings.ebucore_readings import understood
from mappings.publication import Publication
from mappings.resource_types import DCMITYPE_URI, states
from protocol.namespaces import DC, DCTERMS, EDM, ORE, RDF, XML_LANG, qname

NSMAP = {"rdf": RDF, "dc": DC, "dcterms": DCTERMS, "edm": EDM, "ore": ORE}
RDF_E = Maker(RDF, NSMAP)
DC_E = Maker(DC, NSMAP)
TERMS_E = Maker(DCTERMS, NSMAP)
EDM_E = Maker(EDM, NSMAP)
ORE_E = Maker(ORE, NSMAP)
ABOUT, RESOURCE = qname(RDF, "about"), qname(RDF, "resource")

#: The rights statements Europeana accepts in edm:rights (its Schematron's patterns,
#: rightsstatements.org and Creative Commons), checked before a record is offered.
EUROPEANA_RIGHTS = re.compile(
    r"^http://rightsstatements\.org/vocab/(NoC-NC|NoC-OKLR|InC|InC-EDU|InC-OW-EU|CNE)/1\.0/$"
    r"|^http://creativecommons\.org/publicdomain/(zero|mark)/1\.0/$"
    r"|^http://creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)"
    r"/(1\.0|2\.0|2\.1|2\.5|3\.0|4\.0)/([a-z]+/)?$"
)


#: DCMI type -> edm:type.  Europeana has no type for a dataset, software, an event...
EDM_TYPES = {
    "MovingImage": "VIDEO",
    "Sound": "SOUND",
    "StillImage": "IMAGE",
    "Image": "IMAGE",
    "Text": "TEXT",
    "PhysicalObject": "3D",
}


def edm_type(record: Record) -> str | None:
    return EDM_TYPES.get(record.resource_type or "")


def lacks(record: Record) -> str | None:
    """What Europeana requires that the record (as published) does not have.  A partner's
    own EDM says its type and links itself (the schema requires them); its rights are
    still checked."""
    if record.edm_document is not None:
        return _rights_lack(record)
    if edm_type(record) is None:
        kind = record.resource_type or "of a type its source did not state"
        return f"EDM requires edm:type (TEXT, IMAGE, SOUND, VIDEO or 3D), and this record is {kind}"
    if edm_type(record) == "TEXT" and not record.languages:
        return "it is a text, and Europeana requires a text's language (dc:language)"
    if not (record.titles or record.abstracts or record.descriptions):
        return "it has neither a title nor a description"
    lacking = _rights_lack(record)
    if lacking is not None:
        return lacking
    if record.landing_page is None:
        return "it has no landing page for edm:isShownAt (set NAVETTE_PUBLIC_URL)"
    return None


def _rights_lack(record: Record) -> str | None:
    if record.rights_uri is None:
        return "it has no rights statement URI (give one, or set NAVETTE_DEFAULT_RIGHTS)"
    if not EUROPEANA_RIGHTS.match(record.rights_uri):
        return (
            f"its rights statement {record.rights_uri} is not one Europeana accepts "
            "(rightsstatements.org or Creative Commons, http, with the final slash)"
        )
    return None


_CREDIT_ELEMENTS = {"creator": "creator", "publisher": "publisher"}


def _literal(make, text: Text | str) -> Markup:
    if isinstance(text, str):
        return make(text)
    return make(text.value, {XML_LANG: text.lang}) if text.lang else make(text.value)


def _cho(record: Record) -> list[Markup]:
    children = [_literal(DC_E.title, t) for t in record.titles]
    children += [_literal(TERMS_E.alternative, t) for t in record.alternative_titles]
    children += [_literal(DC_E.description, t) for t in record.abstracts + record.descriptions]
    for credit in record.credits:
        children.append(DC_E(_CREDIT_ELEMENTS.get(credit.kind, "contributor"), credit_name(credit)))
    children += [_literal(DC_E.subject, t) for t in record.subjects]
    children += [DC_E.type(kind) for kind in record.object_types]
    if record.resource_type and not states(record.object_types, record.resource_type):
        children.append(DC_E.type({RESOURCE: DCMITYPE_URI + record.resource_type}))
    if record.production_year is not None:
        children.append(TERMS_E.created(f"{record.production_year:04d}"))
    children += [_literal(DC_E.date, t) for t in record.dates]
    if record.duration_seconds is not None:
        children.append(TERMS_E.extent(to_iso(record.duration_seconds)))
    formats = technical_formats(record)[1 if record.duration_seconds is not None else 0 :]
    children += [DC_E.format(value) for value in formats]
    children += [_literal(DC_E.format, t) for t in record.formats]
    if record.original_support:
        children.append(TERMS_E.medium(record.original_support))
    children += [DC_E.language(code) for code in record.languages]
    children.append(DC_E.identifier(record.identifier))
    if record.item_number:
        children.append(DC_E.identifier(record.item_number))
    children += [_literal(DC_E.identifier, t) for t in record.identifiers]
    children += [_literal(TERMS_E.isPartOf, t) for t in record.series]
    children += [_literal(DC_E.relation, t) for t in record.relations]
    children += [DC_E.source(source) for source in record.sources]
    children += [_literal(DC_E.coverage, t) for t in record.coverage]
    children += [_literal(DC_E.rights, t) for t in record.rights]
    if record.distribution_restriction:
        children.append(DC_E.rights(record.distribution_restriction))
    children.append(EDM_E.type(edm_type(record)))
    return children


def _document(record: Record, publication: Publication) -> Markup:
    record = understood(record)
    anchor = quote(record.identifier, safe="")
    cho = f"#{anchor}"
    rights = EDM_E.rights({RESOURCE: record.rights_uri})
    # Europeana's IIIF guidelines: the web resources a IIIF Manifest shows name it.
    manifest = publication.manifest(record.identifier)
    named = [TERMS_E.isReferencedBy({RESOURCE: manifest})] if manifest else []
    images = [
        EDM_E.WebResource(
            DC_E.description(f"Storyboard image at {keyframe.timecode}", {XML_LANG: "en"}),
            EDM_E.rights({RESOURCE: record.rights_uri}),
            *named,
            {ABOUT: keyframe.image},
        )
        for keyframe in record.keyframes
    ]
    if named and record.landing_page == publication.landing_page(record.identifier):
        # Navette's own landing page is the Manifest's homepage: referenced by it too.
        images.append(EDM_E.WebResource(*named, {ABOUT: record.landing_page}))
    aggregation = ORE_E.Aggregation(
        EDM_E.aggregatedCHO({RESOURCE: cho}),
        EDM_E.dataProvider(record.source_archive or publication.provider),
        *(EDM_E.hasView({RESOURCE: keyframe.image}) for keyframe in record.keyframes),
        EDM_E.isShownAt({RESOURCE: record.landing_page}),
        EDM_E.object({RESOURCE: record.keyframes[0].image}) if record.keyframes else None,
        EDM_E.provider(publication.provider),
        rights,
        {ABOUT: f"#aggregation-{anchor}"},
    )
    return RDF_E.RDF(EDM_E.ProvidedCHO(*_cho(record), {ABOUT: cho}), *images, aggregation)


def to_edm_text(record: Record, publication: Publication) -> str:
    """The record (as published) as a serialised ``rdf:RDF`` EDM document: a partner's
    own EDM as it came."""
    if record.edm_document is not None:
        return record.edm_document
    return to_text(_document(record, publication), NSMAP)
