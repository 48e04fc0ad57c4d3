"""ResourceSync documents checked against the sitemaps.org schemas and the ResourceSync
schema, offline (``resourcesync/`` in the schema folder).

The only ResourceSync schema published is 0.9.1's, which predates the ``datetime``
attribute ResourceSync 1.1 (Z39.99-2017) added to ``rs:md`` and ``rs:ln``: a copy of
the document without it is checked against the schemas, and each ``datetime`` value
on its own as an ``xsd:dateTime``.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from lxml import etree

from protocol.namespaces import RESOURCESYNC, SITEMAPS
from schemas import registry

#: The root element -> the sitemaps.org schema for it.
ROOT_SCHEMAS = {
    f"{{{SITEMAPS}}}urlset": "sitemap.xsd",
    f"{{{SITEMAPS}}}sitemapindex": "siteindex.xsd",
}
_DATETIME = etree.XMLSchema(
    etree.fromstring(
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        b'<xs:element name="datetime" type="xs:dateTime"/></xs:schema>'
    )
)


class NotResourceSync(ValueError):
    """The document is neither a sitemap ``urlset`` nor a ``sitemapindex``."""


@cache
def _schema(folder: Path, name: str) -> etree.XMLSchema:
    imports = (
        f'<xs:import namespace="{SITEMAPS}" schemaLocation="{(folder / name).as_uri()}"/>'
        f'<xs:import namespace="{RESOURCESYNC}" '
        f'schemaLocation="{(folder / "resourcesync.xsd").as_uri()}"/>'
    )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:navette:wrapper">{imports}</xs:schema>'
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


def _folder() -> Path:
    folder = registry.schema_dir() / "resourcesync"
    missing = [
        name
        for name in ("sitemap.xsd", "siteindex.xsd", "resourcesync.xsd")
        if not (folder / name).is_file()
    ]
    if missing:
        raise registry.SchemasMissing(
            f"{', '.join(missing)} not found in {folder}: ResourceSync documents are checked "
            "against the sitemaps.org and ResourceSync schemas kept there."
        )
    return folder


def problems(document: etree._Element) -> list[str]:
    """Why ``document`` is not a valid ResourceSync document, in sentences; none if it is."""
    name = ROOT_SCHEMAS.get(document.tag)
    if name is None:
        raise NotResourceSync(
            f"the document's root is {document.tag}, not a sitemap urlset or sitemapindex"
        )
    found = []
    checked = copy.deepcopy(document)
    for element in checked.iter(f"{{{RESOURCESYNC}}}md", f"{{{RESOURCESYNC}}}ln"):
        value = element.attrib.pop("datetime", None)
        if value is None:
            continue
        probe = etree.Element("datetime")
        probe.text = value
        if not _DATETIME.validate(probe):
            found.append(f"line {element.sourceline}: datetime {value!r} is not an xsd:dateTime")
    schema = _schema(_folder(), name)
    if not schema.validate(checked):
        found.extend(f"line {error.line}: {error.message}" for error in schema.error_log)
    return found
