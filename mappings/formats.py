"""The metadata formats Navette disseminates, and rendering a record into all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalogue.model import Record
from mappings.dc_out import to_oai_dc_text
from mappings.ebucore_out import to_ebucore_text
from mappings.namespaces import EBUCORE, EBUCORE_SCHEMA_URL, OAI_DC, OAI_DC_SCHEMA_URL

#: Raised whenever a crosswalk's output changes, so that stored renderings are redone.
CROSSWALK_VERSION = "2"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    namespace: str
    schema_url: str
    #: The name of the validator in ``schemas.validators``.
    schema: str
    #: The record serialised in this format (what is stored and served).
    write: Callable[[Record], str]


FORMATS = {
    "oai_dc": MetadataFormat("oai_dc", OAI_DC, OAI_DC_SCHEMA_URL, "oai_dc", to_oai_dc_text),
    "ebucore": MetadataFormat("ebucore", EBUCORE, EBUCORE_SCHEMA_URL, "ebucore", to_ebucore_text),
}


def render(record: Record, prefix: str) -> str:
    """The record in one format, serialised."""
    return FORMATS[prefix].write(record)


def render_all(record: Record) -> dict[str, str]:
    return {prefix: render(record, prefix) for prefix in FORMATS}
