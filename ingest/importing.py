"""Importing catalogue files into the store: read, validate, render, write.

Every record read is rendered into each metadata format and the renderings are
checked against the official XSDs before anything is written, so the store never
holds a record it could not serve validly.  A record whose content and crosswalks
are unchanged since it was stored is recognised by its fingerprint and skipped
before rendering.  Rejections and warnings are reported with their location;
everything else goes in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from catalogue import codec, store
from catalogue.database import refresh_statistics_after
from catalogue.model import Record
from ingest import prepare
from ingest.readers import Deletion, Location, Read, Rejected, read_paths
from mappings import downgrade
from mappings.publication import DEFAULT, Publication

BATCH = 500


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[tuple[Location, str]] = field(default_factory=list)
    #: Said once for the whole run (for example: schemas missing, renderings not checked).
    notices: list[str] = field(default_factory=list)
    #: Records written but not offered in an optional format (EDM ...), by format, and
    #: the first reason given for each format.
    withheld: Counter[str] = field(default_factory=Counter)
    withheld_reasons: dict[str, str] = field(default_factory=dict)

    def count_withheld(self, written) -> None:
        for prefix, reason in written.withheld.items():
            self.withheld[prefix] += 1
            self.withheld_reasons.setdefault(prefix, reason)

    @property
    def ok(self) -> bool:
        return not self.rejected


def schemas_available(report: Report) -> bool:
    """Whether renderings can be checked; if not, the report says so once."""
    missing = prepare.schemas_available()
    if missing:
        report.notices.append(f"renderings were not checked against the XSDs: {missing}")
    return missing is None


class _Batch:
    """Records and deletions waiting to be written together, in one transaction."""

    def __init__(
        self,
        sessions: sessionmaker[Session] | None,
        report: Report,
        check: bool,
        replace: bool = False,
        publication: Publication = DEFAULT,
    ):
        self.sessions = sessions
        self.publication = publication
        self.report = report
        self.check = check
        self.replace = replace
        self.reads: list[Read] = []
        self.deletions: list[str] = []

    def __len__(self) -> int:
        return len(self.reads) + len(self.deletions)

    def write(self) -> None:
        stored: dict[str, str] = {}
        richer: dict[str, dict] = {}
        if self.sessions is not None:
            simple = [i.record.identifier for i in self.reads if i.schema == "oai_dc"]
            with self.sessions() as session:
                stored = store.fingerprints(session, (i.record.identifier for i in self.reads))
                if not self.replace:
                    richer = store.stored_data(session, simple)
        written = []
        for item in self.reads:
            if item.record.identifier in richer and not self._may_replace(
                item, codec.from_dict(richer[item.record.identifier])
            ):
                continue
            try:
                prepared = prepare.prepare_if_changed(
                    item.record, self.check, stored.get(item.record.identifier), self.publication
                )
            except prepare.RecordRefused as error:
                self.report.rejected.append(Rejected(item.location, str(error)))
                continue
            if prepared is None:
                self.report.counts["unchanged"] += 1
            else:
                written.append(prepared)
                self.report.count_withheld(prepared)
        if self.sessions is None:
            self.report.counts["valid"] += len(written)
        elif written or self.deletions:
            with self.sessions.begin() as session:
                self.report.counts += store.save(session, written)
                for identifier in self.deletions:
                    if store.delete_record(session, identifier):
                        self.report.counts["deleted"] += 1
        self.reads.clear()
        self.deletions.clear()

    def _may_replace(self, item: Read, stored: Record) -> bool:
        """Whether simple DC may overwrite the stored record (see mappings.downgrade)."""
        verdict = downgrade.judge(stored, item.record)
        if verdict.keep:
            self.report.counts["kept"] += 1
        elif not verdict.replace:
            reason = verdict.reason(item.record.identifier)
            self.report.rejected.append(
                Rejected(
                    item.location,
                    f"{reason}: not imported (import with --replace to overwrite it)",
                )
            )
        return verdict.replace


def import_paths(
    sessions: sessionmaker[Session] | None,
    paths: Iterable[Path],
    dry_run: bool = False,
    progress: Callable[[Report], None] | None = None,
    replace: bool = False,
    publication: Publication = DEFAULT,
) -> Report:
    """Import every record under ``paths``; with ``dry_run`` only validate.

    Simple DC never silently overwrites a record holding what DC cannot say: such a
    record is kept when the DC says nothing new, refused otherwise; ``replace`` forces.

    Each batch is committed on its own, so an interrupted import keeps what it
    wrote and a re-run skips it (unchanged records are no-ops).
    """
    report = Report()
    batch = _Batch(
        None if dry_run else sessions, report, schemas_available(report), replace, publication
    )
    for item in read_paths(paths):
        if isinstance(item, Rejected):
            report.rejected.append(item)
        elif isinstance(item, Deletion):
            batch.deletions.append(item.identifier)
        else:
            report.warnings += [(item.location, warning) for warning in item.warnings]
            batch.reads.append(item)
        if len(batch) >= BATCH:
            batch.write()
            if progress:
                progress(report)
    batch.write()
    if progress:
        progress(report)
    if sessions is not None and not dry_run:
        refresh_statistics_after(sessions.kw["bind"], report.counts)
    return report
