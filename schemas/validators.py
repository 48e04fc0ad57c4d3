"""Validation against the official XSDs, offline.

Two paths: lxml (libxml2) answers "valid or not, and the first reasons" fast enough
for bulk work; xmlschema gives the detailed report an admin reads (line, XPath of
the failing element, reason).  Both resolve every remote schemaLocation to the
local files of ``schemas.registry`` and refuse anything else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from protocol.namespaces import (
    EBUCORE,
    EBUCORE_SCHEMA_URL,
    EDM_SCHEMA_URL,
    MARC,
    MARC_SCHEMA_URL,
    MODS,
    MODS_SCHEMA_URL,
    OAI,
    OAI_DC,
    OAI_DC_SCHEMA_URL,
    OAI_IDENTIFIER,
    OAI_IDENTIFIER_SCHEMA_URL,
    OAI_SCHEMA_URL,
    PROVENANCE,
    PROVENANCE_SCHEMA_URL,
    RDF,
)
from schemas import registry

_OAI_PARTS = [
    (OAI, OAI_SCHEMA_URL),
    (OAI_IDENTIFIER, OAI_IDENTIFIER_SCHEMA_URL),
    (PROVENANCE, PROVENANCE_SCHEMA_URL),
]
#: Schema name -> the (namespace, schemaLocation) pairs it is made of.
COMPONENTS = {
    "oai_dc": [(OAI_DC, OAI_DC_SCHEMA_URL)],
    "ebucore": [(EBUCORE, EBUCORE_SCHEMA_URL)],
    "edm": [(RDF, EDM_SCHEMA_URL)],
    "marcxml": [(MARC, MARC_SCHEMA_URL)],
    "mods": [(MODS, MODS_SCHEMA_URL)],
    "oai-pmh": [*_OAI_PARTS, (OAI_DC, OAI_DC_SCHEMA_URL), (EBUCORE, EBUCORE_SCHEMA_URL)],
    # One libxml2 schema holds one document per namespace, and EDM brings its own DC,
    # MODS its own xml.xsd and xlink.xsd: an answer in each is checked with its own set.
    "oai-pmh:edm": [*_OAI_PARTS, (RDF, EDM_SCHEMA_URL)],
    "oai-pmh:marcxml": [*_OAI_PARTS, (MARC, MARC_SCHEMA_URL)],
    "oai-pmh:mods": [*_OAI_PARTS, (MODS, MODS_SCHEMA_URL)],
}
#: The answer's metadata namespace -> the schema set for answers holding it.
OAI_SETS = {RDF: "oai-pmh:edm", MARC: "oai-pmh:marcxml", MODS: "oai-pmh:mods"}

#: Root element (Clark notation) -> the schema that validates it.
ROOTS = {
    "{%s}dc" % OAI_DC: "oai_dc",
    "{%s}ebuCoreMain" % EBUCORE: "ebucore",
    "{%s}OAI-PMH" % OAI: "oai-pmh",
    "{%s}RDF" % RDF: "edm",
    "{%s}record" % MARC: "marcxml",
    "{%s}collection" % MARC: "marcxml",
    "{%s}mods" % MODS: "mods",
}


@dataclass(frozen=True)
class Problem:
    """Why a document is invalid, where."""

    line: int | None
    column: int | None
    path: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "?"
        if self.path:
            where += f", {self.path}"
        return f"{where}: {self.reason}"


class _LocalResolver(etree.Resolver):
    """Maps schemaLocation URLs to local files; refuses any other remote one."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, system_url, public_id, context):
        local = registry.local_path(system_url, self.folder)
        if local is None and system_url and "://" not in system_url:
            if Path(system_url).is_file():
                return None  # a relative import beside its schema (EDM's): read as it is
            candidate = self.folder / Path(system_url).name
            local = candidate if candidate.is_file() else None
        if local is not None:
            return self.resolve_filename(str(local), context)
        if system_url and system_url.startswith(("http:", "https:", "ftp:")):
            raise etree.XMLSchemaParseError(
                f"refusing to fetch {system_url}: validation never touches the network"
            )
        return None


def _wrapper(schema: str) -> bytes:
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{location}"/>'
        for ns, location in COMPONENTS[schema]
    )
    return (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:navette:wrapper">{imports}</xs:schema>'
    ).encode()


_lock = threading.Lock()


@cache
def _lxml_schema(schema: str, folder: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalResolver(folder))
    document = etree.fromstring(_wrapper(schema), parser, base_url=str(folder / "wrapper.xsd"))
    return etree.XMLSchema(document)


_folders: dict[registry.Location, Path] = {}


def _folder() -> Path:
    """The schema folder, looked up once per configuration (bulk validation asks often)."""
    key = registry.location()
    folder = _folders.get(key)
    if folder is None:
        folder = _folders[key] = registry.schema_dir().resolve()
    return folder


_compiled: dict[tuple[str, registry.Location], etree.XMLSchema] = {}
_NOT_DECLARED = "No matching global declaration available for the validation root"
COMPILE_TRIES = 3


class SchemaIncomplete(RuntimeError):
    """A schema compiled without one of its components (libxml2 skips a failed import)."""


def _complete(schema: str, compiled: etree.XMLSchema) -> bool:
    """Whether the compiled schema declares the root elements it exists for.

    libxml2 skips an xs:import it could not load with a mere warning; an import loaded
    while another thread parses can fail that way, and the schema then refuses every
    document ("no matching global declaration").  Such a schema must never be used.
    """
    for root, name in ROOTS.items():
        if name != schema:
            continue
        compiled.validate(etree.Element(root))
        if any(_NOT_DECLARED in entry.message for entry in compiled.error_log):
            return False
    return True


def lxml_schema(schema: str) -> etree.XMLSchema:
    """The compiled lxml schema (compiled once per process and configuration; a
    harvest asks for it three times a record)."""
    key = (schema, registry.location())
    compiled = _compiled.get(key)
    if compiled is None:
        if schema not in COMPONENTS:
            raise ValueError(f"unknown schema {schema!r}; known: {', '.join(COMPONENTS)}")
        folder = _folder()
        with _lock:
            failure = ""
            for _ in range(COMPILE_TRIES):
                try:
                    compiled = _lxml_schema(schema, folder)
                except etree.XMLSchemaParseError as error:
                    # The same race seen from the other side: an import half-loaded
                    # leaves a reference unresolved ("does not resolve to ...").
                    failure = str(error)
                    continue
                if _complete(schema, compiled):
                    break
                failure = "a root element it exists for was undeclared"
                _lxml_schema.cache_clear()
            else:
                raise SchemaIncomplete(
                    f"the {schema} schema in {folder} could not be compiled whole in "
                    f"{COMPILE_TRIES} tries ({failure}); check that every XSD it imports is there"
                )
            _compiled[key] = compiled
    return compiled


@cache
def _xmlschema(schema: str, folder: Path):
    import xmlschema

    mapper = {url: (folder / name).as_uri() for url, name in registry.LOCATIONS.items()}
    sources = [str(folder / registry.LOCATIONS[location]) for _, location in COMPONENTS[schema]]
    return xmlschema.XMLSchema(
        sources if len(sources) > 1 else sources[0], uri_mapper=mapper, allow="local"
    )


def detailed_schema(schema: str):
    """The compiled xmlschema schema, for detailed reports (compiled once per process)."""
    if schema not in COMPONENTS:
        raise ValueError(f"unknown schema {schema!r}; known: {', '.join(COMPONENTS)}")
    folder = _folder()
    with _lock:
        return _xmlschema(schema, folder)


def schema_for(root: etree._Element) -> str | None:
    """The schema that validates a document with this root element, if any."""
    schema = ROOTS.get(root.tag)
    return oai_schema_for(root) if schema == "oai-pmh" else schema


_METADATA = "{%s}metadata" % OAI


def oai_schema_for(answer: etree._Element) -> str:
    """The schema set for an OAI-PMH answer: chosen by the namespace of its metadata."""
    for metadata in answer.iter(_METADATA):
        for child in metadata.iterchildren(etree.Element):
            return OAI_SETS.get(etree.QName(child).namespace, "oai-pmh")
    return "oai-pmh"


def is_valid(document: etree._Element | etree._ElementTree, schema: str) -> bool:
    """Fast path: lxml only."""
    return lxml_schema(schema).validate(document)


def quick_problems(document: etree._Element | etree._ElementTree, schema: str) -> list[Problem]:
    """lxml's reasons (libxml2 messages), empty when valid."""
    validator = lxml_schema(schema)
    if validator.validate(document):
        return []
    return [
        Problem(entry.line or None, entry.column or None, entry.path or None, entry.message)
        for entry in validator.error_log
    ]


def own_path(element: etree._Element) -> str:
    """The element's XPath with the document's own prefixes (none where it uses none), and
    a position only where siblings share the name: '/record/datafield[3]', '/mods:mods/name'."""
    steps = []
    while element is not None and isinstance(element.tag, str):
        local = etree.QName(element).localname
        name = f"{element.prefix}:{local}" if element.prefix else local
        parent = element.getparent()
        same = list(parent.iterchildren(element.tag)) if parent is not None else [element]
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
        element = parent
    return "/" + "/".join(reversed(steps))


def detailed_problems(document: etree._Element | etree._ElementTree, schema: str) -> list[Problem]:
    """xmlschema's report: every problem with line, XPath and reason; empty when valid.
    A child the content model refuses is placed on its own line and path, not its parent's."""
    tree = document if isinstance(document, etree._ElementTree) else document.getroottree()
    problems = []
    for error in detailed_schema(schema).iter_errors(tree):
        child = getattr(error, "invalid_child", None)
        element = child if isinstance(child, etree._Element) else error.elem
        located = isinstance(element, etree._Element)
        problems.append(
            Problem(
                element.sourceline if located else getattr(error, "sourceline", None),
                None,
                own_path(element) if located else error.path,
                error.reason or error.message,
            )
        )
    return problems
