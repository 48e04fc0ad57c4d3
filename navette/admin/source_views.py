"""The admin pages' actions on sources: add, edit, pause, resume, remove, harvest now,
and the small JSON a source's page polls to follow a harvest as it runs.

Every action is a POST carrying the session's CSRF token (``admin_required`` checks
it), does what ``harvester.controls`` does for the command line, and is logged with
who did it.  A refusal is said on the page in words, never as an error page.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from flask import abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext

from catalogue.tables import SourceRow
from harvester import controls, state
from harvester.fetch import Fetcher
from harvester.probe import probe
from navette.admin import sessions as admin_sessions
from navette.admin.auth import admin_required, token_ok
from navette.admin.views import blueprint
from protocol.dates import utc_now

log = logging.getLogger("navette.admin")


def _sessions():
    return current_app.extensions["navette.sessions"]


def who() -> str:
    """The admin behind this request, for the log: the login's user, or the API token."""
    if token_ok():
        return "the API token"
    return admin_sessions.user_of(_sessions(), session.get("admin")) or "an admin"


def _done(sentence: str) -> None:
    log.info("admin %s: %s", who(), sentence)
    flash(f"{sentence}.")  # as the command line says it (a source's name keeps its case)


def _refused(error: Exception) -> None:
    log.info("admin %s: refused: %s", who(), error)
    flash(gettext("Not done: %(error)s.", error=error))


def _words(field: str) -> list[str]:
    """A form field of several values, separated by commas or spaces."""
    return [w for w in request.form.get(field, "").replace(",", " ").split() if w]


def _threshold(field: str = "threshold") -> float | None:
    text = request.form.get(field, "").strip().rstrip("%")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as error:
        raise state.SourceError(f"the delete threshold {text!r} is not a number") from error
    return value / 100 if value > 1 else value


@blueprint.post("/sources")
@admin_required
def source_add():
    name = request.form.get("name", "").strip()
    url = request.form.get("url", "").strip()
    protocol = request.form.get("protocol", "oai-pmh")
    try:
        with _sessions().begin() as db:
            state.check_name(db, name)
            if request.form.get("check", "on") == "on":
                settings = current_app.extensions["navette.settings"]
                fetcher = settings.fetcher()
                # One try, no retries: the admin is waiting for the answer.
                quick = Fetcher(
                    replace(fetcher.policy, attempts=1), limits=fetcher.limits, reach=fetcher.reach
                )
                probe(quick, url, _words("prefixes"), protocol)
            state.add_source(
                db, name, url, _words("prefixes"), _words("sets"),
                request.form.get("schedule", "").strip() or None, utc_now(),
                _threshold() or 0.2, protocol,
            )  # fmt: skip
    except state.SourceError as error:
        _refused(error)
        return redirect(url_for("admin.home"))
    _done(f"source {name} added ({url})")
    return redirect(url_for("admin.source", name=name))


def _act(name: str, action, gone: bool = False) -> object:
    """Run ``action(db)`` on source ``name``; its sentence is flashed and logged.  Back to
    the source's page, or to the list when the action removed it (``gone``)."""
    try:
        with _sessions().begin() as db:
            if db.get(SourceRow, name) is None:
                abort(404)
            said = action(db)
    except state.SourceError as error:
        _refused(error)
        gone = False
    else:
        if isinstance(said, list):
            said = f"source {name}: " + ("; ".join(said) if said else "nothing changed")
        _done(said)
    return redirect(url_for("admin.home") if gone else url_for("admin.source", name=name))


@blueprint.post("/sources/<name>/edit")
@admin_required
def source_edit(name: str):
    def edit(db):
        changes = controls.Changes(
            url=request.form.get("url", "").strip() or None,
            prefixes=_words("prefixes"),
            sets=_words("sets"),
            schedule=request.form.get("schedule", "").strip(),
            threshold=_threshold(),
        )
        return controls.edit(db, name, changes, utc_now())

    return _act(name, edit)


@blueprint.post("/sources/<name>/pause")
@admin_required
def source_pause(name: str):
    return _act(name, lambda db: controls.pause(db, name))


@blueprint.post("/sources/<name>/resume")
@admin_required
def source_resume(name: str):
    return _act(name, lambda db: controls.resume(db, name, utc_now()))


@blueprint.post("/sources/<name>/harvest")
@admin_required
def source_harvest(name: str):
    asker = who()
    return _act(name, lambda db: controls.request_harvest(db, name, asker, utc_now()))


@blueprint.post("/sources/<name>/remove")
@admin_required
def source_remove(name: str):
    records = request.form.get("records", "")
    return _act(name, lambda db: controls.remove(db, name, records, utc_now()), gone=True)


@blueprint.get("/sources/<name>/progress.json")
@admin_required
def source_progress(name: str):
    with _sessions()() as db:
        row = db.get(SourceRow, name)
        if row is None:
            abort(404)
        last = (state.runs(db, name, limit=1) or [None])[0]
        return jsonify(controls.progress(row, last, utc_now()))
