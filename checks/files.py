"""Checking exports (files, folders, ZIP archives, OAI-PMH response dumps, native files)
against the official schemas, and reporting why a record fails.

The schema is chosen from each document's root element (``auto``) or forced.
lxml answers valid-or-not first, in parallel worker processes when asked; only
the documents that fail go through xmlschema, for findings with line, XPath and a
reason an admin reads (``schemas.explain``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from checks.documents import judge
from ingest.archives import MemberRefused, members
from ingest.readers import Rejected, read_csv, read_jsonl
from mappings.ebucore_xml import normalise_namespace
from mappings.safexml import UnsafeXML, parse
from protocol.failures import in_words
from protocol.namespaces import DC, EBUCORE, MARC, MODS, OAI, is_legacy_ebucore
from schemas import validators
from schemas.explain import explain
from schemas.profiles import PROFILES

XML_SUFFIXES = (".xml",)
NATIVE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")


@dataclass(frozen=True)
class Finding:
    identifier: str | None
    line: int | None
    column: int | None
    path: str | None
    reason: str
    kind: str


@dataclass
class Outcome:
    name: str
    schema: str | None
    identifier: str | None = None
    findings: list[Finding] = field(default_factory=list)
    records: int = 1

    @property
    def valid(self) -> bool:
        return not self.findings


def _documents(paths: Iterable[Path]) -> Iterator[tuple[str, bytes]]:
    wanted = XML_SUFFIXES + NATIVE_SUFFIXES
    for path in paths:
        targets = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for target in targets:
            if target.suffix.lower() == ".zip":
                with zipfile.ZipFile(target) as archive:
                    for member, content in members(archive, wanted):
                        yield f"{target}!{member}", content
            elif target.suffix.lower() in wanted:
                yield str(target), target.read_bytes()


def _identifier_of(root: etree._Element) -> str | None:
    """The record's own identifier, to name it in a report."""
    found = root.findtext(
        f".//{{{EBUCORE}}}identifier[@typeLabel='Local identifier']/{{{DC}}}identifier"
    )
    return (
        found
        or root.findtext(f".//{{{DC}}}identifier")
        or root.findtext(f".//{{{MARC}}}controlfield[@tag='001']")
        or root.findtext(f".//{{{MODS}}}identifier[@type='local']")
    )


_METADATA = f"{{{OAI}}}metadata"


def _record_spans(root: etree._Element) -> list[tuple[int, str]]:
    """(first line, identifier) of each record of an OAI-PMH response, in order."""
    spans = []
    for record in root.iter(f"{{{OAI}}}record", f"{{{OAI}}}header"):
        if record.tag == f"{{{OAI}}}header" and record.getparent().tag == f"{{{OAI}}}record":
            continue
        identifier = record.findtext(f".//{{{OAI}}}identifier")
        spans.append((record.sourceline or 0, identifier))
    return spans


def _owner(spans: list[tuple[int, str]], line: int | None) -> str | None:
    owner = None
    for first, identifier in spans:
        if line is not None and first <= line:
            owner = identifier
    return owner


def _native(name: str, data: bytes) -> Outcome:
    reader = read_csv if name.lower().endswith(".csv") else read_jsonl
    outcome = Outcome(name, "native", records=0)
    for item in reader(io.BytesIO(data), name):
        outcome.records += 1
        if isinstance(item, Rejected):
            for reason in item.reason.split("; "):
                where, _, what = reason.partition(": ")
                outcome.findings.append(
                    Finding(
                        None,
                        item.location.line,
                        None,
                        where,
                        reason,
                        f"{where.split('/')[0]}: {what[:60]}",
                    )
                )
    return outcome


def check(
    name: str, data: bytes | MemberRefused, schema: str = "auto", profile: str | None = None
) -> Outcome:
    """One document (or native file) checked, with findings when invalid.

    With a ``profile`` (``schemas.profiles``) the document must be of the profile's
    format and pass its rules too (Europeana's Schematron for EDM)."""
    if isinstance(data, MemberRefused):
        return Outcome(name, None, findings=[Finding(None, None, None, None, str(data), "refused")])
    if schema == "native" or (schema == "auto" and name.lower().endswith(NATIVE_SUFFIXES)):
        return _native(name, data)
    try:
        root = parse(data)
    except (etree.XMLSyntaxError, UnsafeXML) as error:
        line = getattr(error, "lineno", None)
        said = in_words(error) if isinstance(error, etree.XMLSyntaxError) else str(error)
        finding = Finding(None, line, None, None, said, "not well-formed XML")
        return Outcome(name, None, findings=[finding])
    namespace = etree.QName(root).namespace
    legacy = (
        f" (read as EBUCore 1.10: the document is in {namespace})"
        if is_legacy_ebucore(namespace)
        else ""
    )
    if legacy:
        root = normalise_namespace(root)
    chosen = validators.schema_for(root) if schema == "auto" else schema
    identifier = _identifier_of(root)
    wanted = PROFILES[profile] if profile else None
    if wanted is not None and chosen not in (wanted.schema, f"oai-pmh:{wanted.schema}"):
        reason = f"the {wanted.name} profile checks {wanted.documents} documents, not {root.tag}"
        finding = Finding(identifier, root.sourceline, None, "/", reason, "not of the profile")
        return Outcome(name, chosen, identifier, [finding])
    if chosen is None:
        reason = f"no schema for the root element {root.tag}"
        return Outcome(
            name,
            None,
            identifier,
            [Finding(identifier, root.sourceline, None, "/", reason, "unknown document type")],
        )
    spans = _record_spans(root) if chosen.startswith("oai-pmh") else []
    records = max(1, len(spans))
    judged = judge(root, chosen)
    lines = data.splitlines()
    findings = []
    for problem in judged.problems:
        explained = explain(problem.path, problem.reason)
        owner = _owner(spans, problem.line) if spans else identifier
        if judged.valid:
            # The format's own rules: their words as they are (Schematron's are written
            # for people), placed on the record's line.
            message, column = problem.reason, None
        else:
            message = explained.message + legacy
            column = problem.column or _column(lines, problem.line, problem.path)
        findings.append(Finding(owner, problem.line, column, problem.path, message, explained.kind))
    return Outcome(name, chosen, identifier, findings, records)


def _column(lines: list[bytes], line: int | None, path: str | None) -> int | None:
    """Where on its line the failing element starts (the schema libraries give the line)."""
    if not line or not path or line > len(lines):
        return None
    local = re.sub(r"\[\d+\]$", "", path.rstrip("/").rsplit("/", 1)[-1]).split(":")[-1]
    found = re.search(rb"<([\w.-]+:)?" + re.escape(local.encode()) + rb"[\s/>]", lines[line - 1])
    return found.start() + 1 if found else None


def _check_job(job: tuple[str, bytes, str, str | None]) -> Outcome:
    return check(*job)


def validate_paths(
    paths: Iterable[Path], schema: str = "auto", workers: int = 1, profile: str | None = None
) -> Iterator[Outcome]:
    """Every document's outcome, in order; with ``workers`` > 1, checked in parallel."""
    jobs = ((name, data, schema, profile) for name, data in _documents(paths))
    if workers <= 1:
        yield from map(_check_job, jobs)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(_check_job, jobs, chunksize=64)


# --- reports ----------------------------------------------------------------------


@dataclass
class Summary:
    documents: int = 0
    valid: int = 0
    invalid: int = 0
    records: int = 0
    #: kind -> how many records show it.
    kinds: Counter[str] = field(default_factory=Counter)


def summarise(outcomes: list[Outcome]) -> Summary:
    summary = Summary()
    for outcome in outcomes:
        summary.documents += 1
        summary.records += outcome.records
        if outcome.valid:
            summary.valid += 1
            continue
        summary.invalid += 1
        seen = {(f.identifier, f.kind) for f in outcome.findings}
        summary.kinds.update(kind for _, kind in seen)
    return summary


def text_report(outcomes: list[Outcome], summary: Summary, write: Callable[[str], None]) -> None:
    for outcome in outcomes:
        for f in outcome.findings:
            where = (
                f"line {f.line}" + (f", column {f.column}" if f.column else "") if f.line else ""
            )
            record = f" [{f.identifier}]" if f.identifier else ""
            write(
                f"{outcome.name}{record}: {outcome.schema or '?'}: {where}"
                f"{', ' + f.path if f.path else ''}: {f.reason}"
            )
    for kind, count in summary.kinds.most_common():
        write(f"{count} record{'s' if count != 1 else ''}: {kind}")
    write(f"{summary.documents} documents: {summary.valid} valid, {summary.invalid} invalid")


def json_report(outcomes: list[Outcome], summary: Summary) -> str:
    return json.dumps(
        {
            "documents": summary.documents,
            "valid": summary.valid,
            "invalid": summary.invalid,
            "summary": [{"kind": k, "records": n} for k, n in summary.kinds.most_common()],
            "invalid_documents": [
                {
                    "file": o.name,
                    "schema": o.schema,
                    "identifier": o.identifier,
                    "findings": [asdict(f) for f in o.findings],
                }
                for o in outcomes
                if not o.valid
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def junit_report(outcomes: list[Outcome], summary: Summary) -> str:
    """JUnit XML: a test case per document, failed when invalid, for CI pipelines."""
    cases = []
    for outcome in outcomes:
        name = quoteattr(outcome.identifier or Path(outcome.name.split("!")[-1]).name)
        classname = quoteattr(outcome.name)
        if outcome.valid:
            cases.append(f"<testcase classname={classname} name={name}/>")
            continue
        first = outcome.findings[0]
        body = "\n".join(f"line {f.line}: {f.path}: {f.reason}" for f in outcome.findings)
        cases.append(
            f"<testcase classname={classname} name={name}>"
            f"<failure message={quoteattr(first.reason)} type={quoteattr(first.kind)}>"
            f"{_escape(body)}</failure></testcase>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites tests="{summary.documents}" failures="{summary.invalid}">'
        f'<testsuite name="navette validate" tests="{summary.documents}" '
        f'failures="{summary.invalid}" errors="0">' + "".join(cases) + "</testsuite></testsuites>\n"
    )


def _escape(text: str) -> str:
    from mappings.xmltext import clean

    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
