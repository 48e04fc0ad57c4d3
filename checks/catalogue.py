"""Every stored rendering judged as its consumer would judge it: what we would export now.

The admin's "validate the catalogue" page runs this and keeps the last report.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import RecordRow, Rendering
from checks.documents import judge
from mappings.formats import FORMATS
from protocol.dates import format_datestamp, utc_now
from schemas.explain import explain

#: Problems kept per rendering, and in the whole report.
PER_RENDERING = 5
IN_REPORT = 500


def validate_catalogue(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """The report: renderings checked, how many invalid, problems by kind, the first ones."""
    kinds: Counter[str] = Counter()
    failures = []
    checked = 0
    query = (
        select(RecordRow.identifier, Rendering.prefix, Rendering.xml)
        .join(Rendering, Rendering.record_id == RecordRow.id)
        .execution_options(yield_per=500)
    )
    with sessions() as session:
        for identifier, prefix, xml in session.execute(query):
            checked += 1
            judged = judge(etree.fromstring(xml), FORMATS[prefix].schema)
            for problem in judged.problems[:PER_RENDERING]:
                explained = explain(problem.path, problem.reason)
                kinds[explained.kind] += 1
                failures.append(
                    {
                        "identifier": identifier,
                        "prefix": prefix,
                        "line": problem.line,
                        "reason": explained.message,
                    }
                )
    return {
        "at": format_datestamp(utc_now()),
        "checked": checked,
        "invalid": len({(f["identifier"], f["prefix"]) for f in failures}),
        "kinds": kinds.most_common(),
        "failures": failures[:IN_REPORT],
    }
