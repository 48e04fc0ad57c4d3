"""Reading catalogue files: native JSON Lines and CSV, EBUCore, oai_dc and OAI-PMH XML,
from files, folders and ZIP archives.

Each input yields one item per record: a record read (with warnings), a deletion
(from an OAI-PMH dump), or a rejection with its location and reason.  A bad line
never stops the rest of the file.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from catalogue import codec
from catalogue.model import MOVING_IMAGE, Record
from ingest.archives import MemberRefused, members
from mappings import csvrows, dc_in, ebucore_in, edm_in, marc_in, mods_in, native, xmltext
from mappings.ebucore_in import MappingError
from mappings.oai_record import read_oai_record
from mappings.safexml import UnsafeXML, parse
from protocol.failures import in_words
from protocol.namespaces import MARC, MODS, OAI, OAI_DC, RDF, is_ebucore
from schemas import native as native_schema
from schemas import validators

NATIVE_JSON = (".jsonl", ".ndjson", ".json")
XML = (".xml",)
CSV = (".csv",)
SUFFIXES = NATIVE_JSON + XML + CSV


@dataclass(frozen=True)
class Location:
    """Where an item came from: a file (or 'archive.zip!member'), a line or a record number."""

    file: str
    line: int | None = None
    record: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.record is not None:
            return f"{self.file} (record {self.record})"
        return self.file


@dataclass
class Read:
    record: Record
    location: Location
    warnings: list[str] = field(default_factory=list)
    #: The format it was read from: "native", "ebucore", "marcxml" or "oai_dc".
    schema: str = "native"


@dataclass
class Deletion:
    identifier: str
    location: Location


@dataclass
class Rejected:
    location: Location
    reason: str


Item = Read | Deletion | Rejected


class UnusableInput(ValueError):
    """A path that does not exist or is not a catalogue file."""


def _clean(value: Any) -> tuple[Any, int]:
    """``value`` with every string stripped of what XML cannot carry, and how many went."""
    if isinstance(value, str):
        return xmltext.clean_counting(value)
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            cleaned, count = _clean(item)
            items.append(cleaned)
            total += count
        return items, total
    if isinstance(value, dict):
        total = 0
        result = {}
        for key, item in value.items():
            cleaned, count = _clean(item)
            result[key] = cleaned
            total += count
        return result, total
    return value, 0


def _native(data: Any, location: Location) -> Item:
    if not isinstance(data, dict):
        return Rejected(location, "a record must be a JSON object")
    data, removed = _clean(data)
    if "resource_type" not in data and "audiovisual" not in data:
        data["resource_type"] = MOVING_IMAGE  # the native format's default (native-format.md)
    problems = native_schema.problems(data)
    if problems:
        return Rejected(location, "; ".join(problems))
    warnings = []
    if removed:
        warnings.append(f"removed {removed} character(s) that XML 1.0 cannot carry")
    return Read(codec.from_dict(data), location, warnings)


def _text(source: IO[bytes], newline: str | None = None) -> io.TextIOWrapper:
    """The stream as text, read as it goes (a large file is never held whole)."""
    return io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline=newline)


def read_jsonl(source: IO[bytes], name: str) -> Iterator[Item]:
    if name.endswith(".json"):
        text = _text(source).read()
        if text.lstrip().startswith("["):
            try:
                records = json.loads(text)
            except json.JSONDecodeError as error:
                yield Rejected(Location(name, error.lineno), f"not valid JSON: {error.msg}")
                return
            for number, item in enumerate(records, 1):
                yield _native(item, Location(name, record=number))
            return
        lines = iter(text.splitlines())
    else:
        lines = _text(source)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield Rejected(Location(name, number), f"not valid JSON: {error.msg}")
            continue
        yield _native(item, Location(name, number))


def read_csv(source: IO[bytes], name: str) -> Iterator[Item]:
    rows = csvrows.records(_text(source, newline=""))
    header = next(rows, None)
    if header is None:
        return
    if isinstance(header[1], csv.Error):
        yield Rejected(Location(name, header[0]), f"not valid CSV: {header[1]}")
        return
    columns = header[1]
    for line, fields in rows:
        location = Location(name, line)
        if isinstance(fields, csv.Error):
            yield Rejected(
                location, f"not valid CSV: {fields} (an unbalanced quote?); the row is skipped"
            )
        elif len(fields) != len(columns):
            yield Rejected(
                location, f"not valid CSV: {len(fields)} fields where the header has {len(columns)}"
            )
        else:
            try:
                yield _native(native.row_to_dict(dict(zip(columns, fields, strict=True))), location)
            except native.RowError as error:
                yield Rejected(location, str(error))


def _stem(name: str) -> str:
    stem = Path(name.split("!")[-1]).stem
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in stem) or "record"


def _marc_items(root: etree._Element, stem: str, location: Location) -> Iterator[Item]:
    """Each record of a MARCXML record or collection; named by its 001 where it has one."""
    problems = validators.quick_problems(root, "marcxml")
    if problems:
        yield Rejected(location, f"not valid marcxml: {problems[0]}")
        return
    found = marc_in.records_in(root)
    for number, element in enumerate(found, 1):
        control = element.findtext("{%s}controlfield[@tag='001']" % MARC)
        identifier = (control or "").strip() or (stem if len(found) == 1 else f"{stem}-{number}")
        where = Location(location.file, record=number) if len(found) > 1 else location
        yield Read(marc_in.from_marc(element, identifier), where, schema="marcxml")


def _payload(root: etree._Element, identifier: str, location: Location) -> Item:
    namespace = etree.QName(root).namespace
    if is_ebucore(namespace):
        root = ebucore_in.normalise_namespace(root)
        schema = "ebucore"
    elif root.tag == "{%s}dc" % OAI_DC:
        schema = "oai_dc"
    elif root.tag == "{%s}mods" % MODS:
        schema = "mods"
    elif root.tag == "{%s}RDF" % RDF:
        schema = "edm"
    else:
        return Rejected(location, f"unknown document type: root element {root.tag}")
    problems = validators.quick_problems(root, schema)
    if problems:
        return Rejected(location, f"not valid {schema}: {problems[0]}")
    try:
        if schema == "ebucore":
            record = ebucore_in.from_ebucore(root, identifier)
        elif schema == "mods":
            record = mods_in.from_mods(root, identifier)
        elif schema == "edm":
            record = edm_in.from_edm(root, identifier)
        else:
            record = dc_in.from_oai_dc(root, identifier)
    except MappingError as error:
        return Rejected(location, str(error))
    return Read(record, location, schema=schema)


def _metadata_items(root: etree._Element, identifier: str, location: Location) -> Iterator[Item]:
    """The record an OAI-PMH dump's metadata holds (MARC: named by the OAI identifier)."""
    if root.tag == "{%s}record" % MARC:
        problems = validators.quick_problems(root, "marcxml")
        if problems:
            yield Rejected(location, f"not valid marcxml: {problems[0]}")
        else:
            yield Read(marc_in.from_marc(root, identifier), location, schema="marcxml")
        return
    yield _payload(root, identifier, location)


def read_xml(data: bytes, name: str) -> Iterator[Item]:
    try:
        root = parse(data)
    except etree.XMLSyntaxError as error:
        yield Rejected(Location(name), in_words(error))
        return
    except UnsafeXML as error:
        yield Rejected(Location(name), f"not well-formed XML: {error}")
        return
    if etree.QName(root).namespace == MARC:
        yield from _marc_items(root, _stem(name), Location(name))
        return
    if root.tag != "{%s}OAI-PMH" % OAI:
        # A document that names itself (EBUCore's documentId) is known by that name.
        own = ebucore_in.document_id(root) if is_ebucore(etree.QName(root).namespace) else None
        yield _payload(root, own or _stem(name), Location(name))
        return
    for number, element in enumerate(root.iter("{%s}record" % OAI), 1):
        location = Location(name, record=number)
        record = read_oai_record(element)
        if record.problem:
            prefix = f"{record.identifier}: " if record.identifier else ""
            yield Rejected(location, prefix + record.problem)
        elif record.deleted:
            yield Deletion(record.identifier, location)
        else:
            yield from _metadata_items(record.metadata, record.identifier, location)


def read_stream(source: IO[bytes], name: str) -> Iterator[Item]:
    """The items of one file, by its name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix in NATIVE_JSON:
        yield from read_jsonl(source, name)
    elif suffix in CSV:
        yield from read_csv(source, name)
    elif suffix in XML:
        yield from read_xml(source.read(), name)
    else:
        yield Rejected(Location(name), f"not a catalogue file (expected {', '.join(SUFFIXES)})")


def read_zip(path: Path) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        yield Rejected(Location(str(path)), f"not a ZIP archive: {error}")
        return
    with archive:
        for member, content in members(archive, SUFFIXES):
            if isinstance(content, MemberRefused):
                yield Rejected(Location(f"{path}!{member}"), str(content))
            else:
                yield from read_stream(io.BytesIO(content), f"{path}!{member}")


def files_under(path: Path) -> list[Path]:
    return sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (*SUFFIXES, ".zip")
    )


def check_paths(paths: Iterable[Path]) -> None:
    """UnusableInput for a path that does not exist, before anything is read."""
    for path in paths:
        if not path.exists():
            raise UnusableInput(f"{path}: no such file or folder")


def _outside(target: Path, folder: Path) -> bool:
    """Whether a file found in a folder is, once its links are followed, somewhere else."""
    return not target.resolve().is_relative_to(folder.resolve())


def read_paths(paths: Iterable[Path]) -> Iterator[Item]:
    """Every item of every file, folder and ZIP archive named.  A file found in a folder
    that is a link to somewhere outside it is skipped, saying so: importing a folder
    reads that folder, not what a link planted in it points to."""
    for path in paths:
        targets = files_under(path) if path.is_dir() else [path]
        for target in targets:
            if path.is_dir() and _outside(target, path):
                yield Rejected(
                    Location(str(target)),
                    f"a link to {target.resolve()}, outside the folder being imported: skipped",
                )
                continue
            if target.suffix.lower() == ".zip":
                yield from read_zip(target)
            else:
                with open(target, "rb") as stream:
                    yield from read_stream(stream, str(target))
