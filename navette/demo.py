"""The demo catalogue: the Mars Express record of the seed data sheet and 220 generated films."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import RecordRow
from ingest.importing import Report, import_paths
from mappings.publication import DEFAULT, Publication

DEMO_DIR = Path(__file__).parent / "data" / "demo"
#: The demo's rights statement: every demo record says "© CNRS Images, <year>", which
#: rightsstatements.org's "In Copyright" states for aggregators (EDM requires one URI).
RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.jsonl")) + sorted(DEMO_DIR.glob("*.csv"))


def is_empty(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(RecordRow)) == 0


def load(sessions: sessionmaker[Session], publication: Publication = DEFAULT) -> Report:
    return import_paths(sessions, demo_files(), publication=publication)


def published(publication: Publication) -> Publication:
    """How the demo is published by `navette demo` and `serve --demo`: with its rights
    statement where the settings give none, so that every format holds it."""
    if publication.default_rights is None:
        return replace(publication, default_rights=RIGHTS)
    return publication
