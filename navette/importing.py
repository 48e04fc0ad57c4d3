"""Importing catalogue files into the store: read, validate, render, write.

Every record read is rendered into each metadata format and the renderings are
checked against the official XSDs before anything is written, so the store never
holds a record it could not serve validly.  Rejections and warnings are reported
with their location; everything else goes in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from catalogue import store
from mappings.formats import FORMATS, serialise
from mappings.readers import Deletion, Location, Read, Rejected, read_paths
from schemas import registry, validators

BATCH = 500


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[tuple[Location, str]] = field(default_factory=list)
    #: Said once for the whole run (for example: schemas missing, renderings not checked).
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def prepare(item: Read, check: bool = True) -> store.Written | Rejected:
    """The record rendered in every format, or its rejection if a rendering is invalid."""
    renderings = {}
    for prefix, metadata_format in FORMATS.items():
        element = metadata_format.render(item.record)
        problems = validators.quick_problems(element, metadata_format.schema) if check else []
        if problems:
            return Rejected(item.location, f"its {prefix} rendering is invalid: {problems[0]}")
        renderings[prefix] = serialise(element)
    return store.Written(item.record, renderings)


def schemas_available(report: Report) -> bool:
    """Whether renderings can be checked; if not, the report says so once."""
    try:
        registry.schema_dir()
    except registry.SchemasMissing as error:
        report.notices.append(f"renderings were not checked against the XSDs: {error}")
        return False
    return True


def import_paths(
    sessions: sessionmaker[Session] | None,
    paths: Iterable[Path],
    dry_run: bool = False,
    progress: Callable[[Report], None] | None = None,
) -> Report:
    """Import every record under ``paths``; with ``dry_run`` only validate.

    Each batch is committed on its own, so an interrupted import keeps what it
    wrote and a re-run skips it (unchanged records are no-ops).
    """
    report = Report()
    check = schemas_available(report)
    pending: list[store.Written] = []
    deletions: list[str] = []

    def flush() -> None:
        if not dry_run and sessions is not None and (pending or deletions):
            with sessions.begin() as session:
                report.counts += store.save(session, pending)
                for identifier in deletions:
                    if store.delete_record(session, identifier):
                        report.counts["deleted"] += 1
        elif dry_run:
            report.counts["valid"] += len(pending)
        pending.clear()
        deletions.clear()
        if progress:
            progress(report)

    for item in read_paths(paths):
        if isinstance(item, Rejected):
            report.rejected.append(item)
            continue
        if isinstance(item, Deletion):
            deletions.append(item.identifier)
            continue
        report.warnings += [(item.location, warning) for warning in item.warnings]
        prepared = prepare(item, check)
        if isinstance(prepared, Rejected):
            report.rejected.append(prepared)
            continue
        pending.append(prepared)
        if len(pending) >= BATCH:
            flush()
    flush()
    return report
