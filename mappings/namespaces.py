"""Every XML namespace Navette reads or writes, in one place."""

EBUCORE = "urn:ebu:metadata-schema:ebucore"
#: Namespaces EBUCore used before 1.7; accepted on input and read as EBUCORE.
EBUCORE_LEGACY = (
    "urn:ebu:metadata-schema:ebuCore_2012",
    "urn:ebu:metadata-schema:ebuCore_2014",
    "urn:ebu:metadata-schema:ebuCore_2016",
)
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

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
XML_LANG = "{%s}lang" % XML


def qname(namespace: str, local: str) -> str:
    """Clark notation, the form lxml uses for qualified names."""
    return "{%s}%s" % (namespace, local)
