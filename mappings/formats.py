"""The metadata formats Navette disseminates, and rendering a record into them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalogue.model import Record
from mappings.dc_out import to_oai_dc_text
from mappings.ebucore_out import to_ebucore_text
from mappings.edm_out import lacks as edm_lacks
from mappings.edm_out import to_edm_text
from mappings.marc_out import lacks as marc_lacks
from mappings.marc_out import to_marcxml_text
from mappings.mods_out import to_mods_text
from mappings.publication import DEFAULT, Publication
from protocol.namespaces import (
    EBUCORE,
    EBUCORE_SCHEMA_URL,
    EDM_SCHEMA_URL,
    MARC,
    MARC_SCHEMA_URL,
    MODS,
    MODS_SCHEMA_URL,
    OAI_DC,
    OAI_DC_SCHEMA_URL,
    RDF,
)

#: What OAI-PMH requires every repository to serve (section 3.4).
REQUIRED_PREFIX = "oai_dc"
#: Raised whenever a crosswalk's output changes, so that stored renderings are redone.
CROSSWALK_VERSION = "8"


def _always(record: Record) -> str | None:
    return None


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    namespace: str
    schema_url: str
    #: The name of the validator in ``schemas.validators``.
    schema: str
    #: The record (as published: ``Publication.apply``) serialised in this format.
    write: Callable[[Record, Publication], str]
    #: Every record is disseminated in a required format: one that cannot be is refused.
    #: In the others a record that lacks what the format demands is only left out of it.
    required: bool = True
    #: What the record lacks for this format, in words; None when it has all it needs.
    lacks: Callable[[Record], str | None] = _always


FORMATS = {
    "oai_dc": MetadataFormat(
        "oai_dc", OAI_DC, OAI_DC_SCHEMA_URL, "oai_dc", lambda r, p: to_oai_dc_text(r)
    ),
    "ebucore": MetadataFormat(
        "ebucore", EBUCORE, EBUCORE_SCHEMA_URL, "ebucore", lambda r, p: to_ebucore_text(r)
    ),
    "edm": MetadataFormat(
        "edm", RDF, EDM_SCHEMA_URL, "edm", to_edm_text, required=False, lacks=edm_lacks
    ),
    "marcxml": MetadataFormat(
        "marcxml",
        MARC,
        MARC_SCHEMA_URL,
        "marcxml",
        to_marcxml_text,
        required=False,
        lacks=marc_lacks,
    ),
    "mods": MetadataFormat("mods", MODS, MODS_SCHEMA_URL, "mods", to_mods_text, required=False),
}


def render(record: Record, prefix: str, publication: Publication = DEFAULT) -> str:
    """The record in one format, serialised, as ``publication`` publishes it."""
    return FORMATS[prefix].write(publication.apply(record), publication)


def render_all(record: Record, publication: Publication = DEFAULT) -> dict[str, str]:
    """The record in every format it can be disseminated in."""
    published = publication.apply(record)
    return {
        prefix: metadata_format.write(published, publication)
        for prefix, metadata_format in FORMATS.items()
        if publication.publishes(prefix) and metadata_format.lacks(published) is None
    }


def published_formats(names: str) -> tuple[str, ...] | None:
    """NAVETTE_FORMATS ("oai_dc, ebucore") as the formats served, in Navette's order;
    None when it names them all.  ValueError, saying what is allowed, otherwise."""
    wanted = {name.strip() for name in names.split(",") if name.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise ValueError(
            f"NAVETTE_FORMATS names {', '.join(unknown)}: the formats are {', '.join(FORMATS)}"
        )
    if REQUIRED_PREFIX not in wanted:
        raise ValueError(
            f"NAVETTE_FORMATS must include {REQUIRED_PREFIX}: OAI-PMH requires every "
            "repository to serve it"
        )
    if wanted == set(FORMATS):
        return None
    return tuple(prefix for prefix in FORMATS if prefix in wanted)
