"""Every XML namespace Navette reads or writes, in one place."""

import re

EBUCORE = "urn:ebu:metadata-schema:ebucore"
#: Namespaces EBUCore used before 1.7 (examples; every ebuCore_YYYY is read as EBUCORE).
EBUCORE_LEGACY = (
    "urn:ebu:metadata-schema:ebuCore_2012",
    "urn:ebu:metadata-schema:ebuCore_2014",
    "urn:ebu:metadata-schema:ebuCore_2015",
    "urn:ebu:metadata-schema:ebuCore_2016",
)
_LEGACY_EBUCORE = re.compile(r"^urn:ebu:metadata-schema:ebuCore(_\d{4})?$")


def is_legacy_ebucore(namespace: str | None) -> bool:
    """``urn:ebu:metadata-schema:ebuCore_YYYY``, whatever the year (EBU's ADM renderer
    writes 2015 and 2017; libadm 2014), or with none (libadm's bare ``ebuCore``): read as
    the current namespace."""
    return namespace is not None and _LEGACY_EBUCORE.match(namespace) is not None


def is_ebucore(namespace: str | None) -> bool:
    return namespace == EBUCORE or is_legacy_ebucore(namespace)


EBUCORE_SCHEMA_URL = "http://www.ebu.ch/metadata/schemas/EBUCore/ebucore.xsd"
EBUCORE_VERSION = "1.10"

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
PROVENANCE = "http://www.openarchives.org/OAI/2.0/provenance"
PROVENANCE_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/provenance.xsd"

# Europeana Data Model (RDF/XML, the external profile Europeana ingests).
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EDM = "http://www.europeana.eu/schemas/edm/"
ORE = "http://www.openarchives.org/ore/terms/"
DCTERMS = "http://purl.org/dc/terms/"
EDM_SCHEMA_URL = "http://www.europeana.eu/schemas/edm/EDM.xsd"

# Library of Congress formats.
MARC = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA_URL = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
MODS = "http://www.loc.gov/mods/v3"
MODS_SCHEMA_URL = "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
MODS_VERSION = "3.8"
XLINK = "http://www.w3.org/1999/xlink"

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
XML_LANG = "{%s}lang" % XML


def qname(namespace: str, local: str) -> str:
    """Clark notation, the form lxml uses for qualified names."""
    return "{%s}%s" % (namespace, local)


# Sitemaps and ResourceSync (ANSI/NISO Z39.99-2017), whose rs:md and rs:ln go in them.
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
RESOURCESYNC = "http://www.openarchives.org/rs/terms/"
