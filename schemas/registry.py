"""Where the official XSDs live on this machine, and how they get there.

The XSD files are not shipped (the EBUCore schema is CC BY-NC-SA): Navette reads
them from the folder the settings name (``NAVETTE_SCHEMA_DIR``), else from a user
cache that ``navette schemas fetch`` fills once from the official URLs.  The settings
say where once, through ``configure``; this module reads no environment.  Every
remote ``schemaLocation`` that the schemas or instance documents use maps to one of
those files, so validation never goes to the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Europeana publishes the EDM external profile it validates with (XSDs and its compiled
#: Schematron) in its metis-schema repository; this is the version Navette is tested with.
METIS_SCHEMA = (
    "https://raw.githubusercontent.com/europeana/metis-schema/"
    "a62d3099d3c5333191f856029b2fde034cd35611/src/main/resources/schema_xsds"
)
EDM_FILES = (
    "EDM.xsd EDM-EXTERNAL-MAIN.xsd EDM-COMMON-MAIN.xsd CONTEXTS.xsd RDF.xsd RDFS.xsd SCHEMA.xsd "
    "DCTERMS.xsd ODRL.xsd ORE.xsd SKOS.xsd DQV.xsd FOAF.xsd DC.xsd CC.xsd DOAP.xsd EBUCORE.xsd "
    "ENRICHMENT.xsd OA.xsd OWL.xsd RDAGR2.xsd SVCS.xsd WGS84.xsd xml.xsd schematron/schematron.xsl"
).split()
#: Europeana's compiled Schematron for EDM (XSLT 2.0: run with SaxonC-HE).
EDM_SCHEMATRON = "edm/schematron/schematron.xsl"

#: Local file name -> the official URL it is published at.
OFFICIAL = {
    "OAI-PMH.xsd": "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    "oai_dc.xsd": "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    "oai-identifier.xsd": "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
    "provenance.xsd": "http://www.openarchives.org/OAI/2.0/provenance.xsd",
    "simpledc20021212.xsd": "http://dublincore.org/schemas/xmls/simpledc20021212.xsd",
    "ebucore.xsd": "https://www.ebu.ch/metadata/schemas/EBUCore/ebucore.xsd",
    "xml.xsd": "http://www.w3.org/2001/xml.xsd",
    "xlink.xsd": "http://www.w3.org/1999/xlink.xsd",
    "marc/MARC21slim.xsd": "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
    "mods/mods-3-8.xsd": "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd",
    "mods/xml.xsd": "http://www.loc.gov/mods/xml.xsd",
    "mods/xlink.xsd": "http://www.loc.gov/standards/xlink/xlink.xsd",
    **{f"edm/{name}": f"{METIS_SCHEMA}/{name}" for name in EDM_FILES},
}

#: Every URL a schema or an instance document may name -> the local file.
LOCATIONS = {
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2009/01/xml.xsd": "xml.xsd",
    "http://www.w3.org/1999/xlink.xsd": "xlink.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd": "oai-identifier.xsd",
    "http://www.openarchives.org/OAI/2.0/provenance.xsd": "provenance.xsd",
    "http://www.ebu.ch/metadata/schemas/EBUCore/ebucore.xsd": "ebucore.xsd",
    "https://www.ebu.ch/metadata/schemas/EBUCore/ebucore.xsd": "ebucore.xsd",
    "http://www.europeana.eu/schemas/edm/EDM.xsd": "edm/EDM.xsd",
    "https://www.europeana.eu/schemas/edm/EDM.xsd": "edm/EDM.xsd",
    "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd": "marc/MARC21slim.xsd",
    "https://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd": "marc/MARC21slim.xsd",
    "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd": "mods/mods-3-8.xsd",
    "https://www.loc.gov/standards/mods/v3/mods-3-8.xsd": "mods/mods-3-8.xsd",
    "http://www.loc.gov/mods/xml.xsd": "mods/xml.xsd",
    "http://www.loc.gov/standards/xlink/xlink.xsd": "mods/xlink.xsd",
}

HOW_TO_GET_THEM = (
    "Run `navette schemas fetch` once (it downloads the official XSDs into {cache}), "
    "or point NAVETTE_SCHEMA_DIR at a folder that holds them."
)


class SchemasMissing(RuntimeError):
    """The official XSDs are not on this machine; the message says how to get them."""


@dataclass(frozen=True)
class Location:
    """Where to look for the XSDs: a configured folder, else the user cache."""

    #: NAVETTE_SCHEMA_DIR: a folder holding every official XSD.
    folder: Path | None = None
    #: XDG_CACHE_HOME: the user cache's parent (default ~/.cache).
    cache_home: Path | None = None


_location = Location()


def configure(location: Location) -> None:
    """Say where the XSDs are, for this process (the settings do, at start-up)."""
    global _location
    _location = location


def location() -> Location:
    return _location


def cache_dir() -> Path:
    base = _location.cache_home or Path.home() / ".cache"
    return Path(base) / "navette" / "schemas"


def schema_dir() -> Path:
    """The folder that holds every official XSD, or SchemasMissing saying what is absent."""
    configured = str(_location.folder) if _location.folder else None
    return _checked_dir(configured, str(cache_dir()))


@lru_cache(maxsize=8)
def _found(folder: Path) -> bool:
    return all((folder / name).is_file() for name in OFFICIAL)


def _checked_dir(configured: str | None, cache: str) -> Path:
    folder = Path(configured) if configured else Path(cache)
    if _found(folder):
        return folder
    _found.cache_clear()
    missing = [name for name in OFFICIAL if not (folder / name).is_file()]
    if missing:
        where = f"NAVETTE_SCHEMA_DIR={folder}" if configured else f"the schema cache {folder}"
        raise SchemasMissing(
            f"{', '.join(missing)} not found in {where}. "
            + HOW_TO_GET_THEM.format(cache=cache_dir())
        )
    return folder


def local_path(url_or_name: str, folder: Path | None = None) -> Path | None:
    """The local file for a schemaLocation URL or file name, or None if unknown."""
    folder = folder or schema_dir()
    name = LOCATIONS.get(url_or_name)
    if name is None and url_or_name in OFFICIAL:
        name = url_or_name
    return folder / name if name else None


def fetch(destination: Path | None = None, timeout: float = 30.0) -> list[Path]:
    """Download the official XSDs once into ``destination`` (the user cache by default)."""
    import requests

    destination = destination or cache_dir()
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    for name, url in OFFICIAL.items():
        target = destination / name
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        if b"<" not in response.content[:200]:
            raise RuntimeError(f"{url} did not return an XML schema")
        target.write_bytes(response.content)
        written.append(target)
    return written
