"""What operators' tools ask of a running service: ``/healthz`` (is the app up, does its
database answer) for a load balancer or an orchestrator, and ``/metrics`` in the
Prometheus text format for a scraper.

The metrics are read from the store when scraped, not kept in each process: under
gunicorn's several workers every scrape sees the same totals, whichever worker answers.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from catalogue import usage
from catalogue.tables import HarvestRun, HeldDeletion, QuarantinedRecord, RecordRow
from navette.admin.auth import token_ok
from protocol.failures import in_words

blueprint = Blueprint("operations", __name__)
log = logging.getLogger("navette.operations")

CLOSED = (
    "The metrics are closed: send the admin token (Authorization: Bearer ...), "
    "or set NAVETTE_METRICS_OPEN=on to open them to anyone who can reach this address.\n"
)


@blueprint.after_request
def _fresh(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/healthz")
def healthz():
    state = current_app.extensions["navette.oai"]
    try:
        with state.sessions() as session:
            session.execute(select(1))
    except SQLAlchemyError as error:
        log.error("health check: the database does not answer: %s", in_words(error))
        return jsonify(status="failing", database="the database does not answer"), 503
    return jsonify(status="ok", database="ok")


@blueprint.get("/metrics")
def metrics():
    if not (current_app.extensions["navette.settings"].metrics_open or token_ok()):
        return Response(
            CLOSED, 401, {"WWW-Authenticate": 'Bearer realm="navette"'}, mimetype="text/plain"
        )
    state = current_app.extensions["navette.oai"]
    if state.usage is not None:
        state.usage.write()  # this process's last seconds of requests, counted too
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(state.sessions))
    return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


class StoreCollector:
    """The service's counts as the store holds them, read at each scrape."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def collect(self):
        with self.sessions() as session:
            yield from _requests(session)
            yield _harvest_runs(session)
            yield from _waiting(session)
            yield _records(session)


def _requests(session: Session):
    requests = CounterMetricFamily(
        "navette_oai_requests",
        "OAI-PMH requests answered, by verb and status (ok or the OAI error code), over "
        "the days kept (NAVETTE_USAGE_DAYS)",
        labels=["verb", "status"],
    )
    served = CounterMetricFamily(
        "navette_oai_records_served",
        "Records (or headers) served in OAI-PMH answers, by verb",
        labels=["verb"],
    )
    by_verb: dict[str, int] = {}
    for verb, outcome, count, records in usage.totals(session):
        requests.add_metric([verb, outcome], count)
        by_verb[verb] = by_verb.get(verb, 0) + records
    for verb, records in sorted(by_verb.items()):
        served.add_metric([verb], records)
    return requests, served


def _harvest_runs(session: Session) -> CounterMetricFamily:
    runs = CounterMetricFamily(
        "navette_harvest_runs",
        "Harvest runs by source and outcome (success, rejects, held, failed, running)",
        labels=["source", "status"],
    )
    query = select(HarvestRun.source, HarvestRun.status, func.count()).group_by(
        HarvestRun.source, HarvestRun.status
    )
    for source, status, count in session.execute(query):
        runs.add_metric([source, status], count)
    return runs


def _waiting(session: Session):
    """What waits for an admin: records in quarantine, deletions held."""
    quarantined = GaugeMetricFamily(
        "navette_quarantined_records",
        "Harvested records held in quarantine, by source",
        labels=["source"],
    )
    query = (
        select(QuarantinedRecord.source, func.count())
        .where(QuarantinedRecord.status == "held")
        .group_by(QuarantinedRecord.source)
    )
    for source, count in session.execute(query):
        quarantined.add_metric([source], count)
    held = GaugeMetricFamily(
        "navette_held_deletions",
        "Deletions held for an admin's decision, in records, by source",
        labels=["source"],
    )
    waiting: dict[str, int] = {}
    for source, identifiers in session.execute(
        select(HeldDeletion.source, HeldDeletion.identifiers).where(HeldDeletion.status == "held")
    ):
        waiting[source] = waiting.get(source, 0) + len(identifiers)
    for source, count in sorted(waiting.items()):
        held.add_metric([source], count)
    return quarantined, held


def _records(session: Session) -> GaugeMetricFamily:
    records = GaugeMetricFamily(
        "navette_records", "Records in the catalogue, live or deleted", labels=["state"]
    )
    query = select(RecordRow.deleted, func.count()).group_by(RecordRow.deleted)
    counted = dict(session.execute(query).all())
    records.add_metric(["live"], counted.get(False, 0))
    records.add_metric(["deleted"], counted.get(True, 0))
    return records
