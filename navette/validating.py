"""Checking exported files against the official XSDs.

The schema is chosen from each document's root element.  lxml answers first;
only invalid documents go through xmlschema, for a report with line, XPath and
reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from mappings.safexml import UnsafeXML, parse
from schemas import validators


@dataclass
class Outcome:
    name: str
    schema: str | None
    problems: list[validators.Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _documents(paths: Iterable[Path]) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        targets = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for target in targets:
            if target.suffix.lower() == ".zip":
                with zipfile.ZipFile(target) as archive:
                    for member in sorted(archive.namelist()):
                        if member.lower().endswith(".xml"):
                            yield f"{target}!{member}", archive.read(member)
            elif target.suffix.lower() == ".xml":
                yield str(target), target.read_bytes()


def check(name: str, data: bytes, schema: str = "auto") -> Outcome:
    try:
        root = parse(data)
    except (etree.XMLSyntaxError, UnsafeXML) as error:
        return Outcome(name, None, [validators.Problem(None, None, None, str(error))])
    chosen = validators.schema_for(root) if schema == "auto" else schema
    if chosen is None:
        reason = f"no schema for root element {root.tag}"
        return Outcome(name, None, [validators.Problem(root.sourceline, None, "/", reason)])
    if validators.is_valid(root, chosen):
        return Outcome(name, chosen)
    problems = validators.detailed_problems(root, chosen) or validators.quick_problems(root, chosen)
    return Outcome(name, chosen, problems)


def validate_paths(paths: Iterable[Path], schema: str = "auto") -> Iterator[Outcome]:
    for name, data in _documents(paths):
        yield check(name, data, schema)
