"""The admin pages' routes."""

from __future__ import annotations

import json
import logging
import math
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from lxml import etree
from sqlalchemy import func, select

from catalogue import codec
from catalogue.sets import UnknownSet, name_set
from catalogue.tables import (
    QuarantinedRecord,
    RecordRow,
    RecordSet,
    Rendering,
    SetRow,
    Setting,
)
from checks.catalogue import validate_catalogue
from checks.holdings import NOT_RENDERED, holdings
from harvester import history, state
from harvester.deletions import approve, reject
from harvester.quarantine import retry
from mappings.formats import FORMATS
from mappings.safexml import indented
from navette.admin import sessions as admin_sessions
from navette.admin import throttle
from navette.admin.auth import admin_required, check_csrf, configured, csrf_token, login_ok
from pages.datasheet import sheet
from pages.views import find_row, listing, listing_arguments, oai_prefix, publication
from protocol.dates import utc_now
from schemas import validators
from schemas.registry import SchemasMissing

blueprint = Blueprint("admin", __name__, template_folder="templates", static_folder="static")
LAST_VALIDATION = "last-validation"
log = logging.getLogger("navette.admin")


def _sessions():
    return current_app.extensions["navette.sessions"]


@blueprint.app_context_processor
def _csrf():
    return {"csrf_token": csrf_token}


@blueprint.after_request
def _not_kept(response):
    """Admin pages hold the catalogue's state and the session's CSRF token: no cache, shared
    or the browser's own, may keep them (a back button after logout shows nothing)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if not configured():
        abort(403, description="The admin pages are closed: set NAVETTE_ADMIN_PASSWORD_HASH.")
    if request.method == "GET":
        return render_template("admin/login.html", error=None)
    check_csrf()
    user = request.form.get("user", "")
    login_keys = throttle.keys(request.remote_addr, user)
    now = utc_now()
    wait = throttle.attempt(_sessions(), login_keys, now)
    if wait > 0:
        log.warning("admin login refused while locked: %s", login_keys)
        error = f"Too many failed logins: try again in {math.ceil(wait)} seconds."
        page = render_template("admin/login.html", error=error)
        return page, 429, {"Retry-After": str(math.ceil(wait))}
    if not login_ok(user, request.form.get("password", "")):
        log.warning("admin login failed: %s", login_keys)
        return render_template("admin/login.html", error="Wrong user name or password."), 401
    throttle.succeeded(_sessions(), login_keys)
    settings = current_app.extensions["navette.settings"]
    lifetime = timedelta(minutes=settings.admin_session_minutes)
    session.clear()
    session.permanent = True
    session["admin"] = admin_sessions.open_session(_sessions(), user, now, lifetime)
    log.info("admin login: %s from %s", user, request.remote_addr)
    target = request.args.get("next", "")
    return redirect(target if target.startswith("/admin") else url_for("admin.home"))


@blueprint.post("/logout")
@admin_required
def logout():
    admin_sessions.close_session(_sessions(), session.get("admin"))
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.get("/")
@admin_required
def home():
    with _sessions()() as db:
        sources = state.list_sources(db)
        last_runs = {s.name: (state.runs(db, s.name, limit=1) or [None])[0] for s in sources}
        counts = {
            "records": db.scalar(select(func.count()).select_from(RecordRow)),
            "deleted": db.scalar(select(func.count()).where(RecordRow.deleted.is_(True))),
            "quarantined": len(state.quarantined(db)),
            "held": len(state.held_deletions(db)),
        }
        per_source = dict(
            db.execute(
                select(RecordRow.source, func.count())
                .where(RecordRow.deleted.is_(False))
                .group_by(RecordRow.source)
            ).all()
        )
    return render_template(
        "admin/home.html",
        sources=sources,
        last_runs=last_runs,
        counts=counts,
        per_source=per_source,
    )


@blueprint.post("/sources/<name>/unlock")
@admin_required
def source_unlock(name: str):
    from harvester import lease

    try:
        with _sessions().begin() as db:
            holder = lease.unlock(db, name, utc_now())
    except state.SourceError:
        abort(404)
    flash(
        gettext(
            "Source %(name)s released (it was claimed by %(holder)s).", name=name, holder=holder
        )
        if holder
        else gettext("Source %(name)s was not claimed by any harvest.", name=name)
    )
    return redirect(url_for("admin.source", name=name))


@blueprint.get("/sets")
@admin_required
def sets():
    with _sessions()() as db:
        rows = list(db.scalars(select(SetRow).order_by(SetRow.spec)))
        counts = dict(
            db.execute(
                select(RecordSet.spec, func.count())
                .join(RecordRow, RecordRow.id == RecordSet.record_id)
                .where(RecordRow.deleted.is_(False))
                .group_by(RecordSet.spec)
            ).all()
        )
    return render_template("admin/sets.html", sets=rows, counts=counts)


@blueprint.post("/sets/<path:spec>")
@admin_required
def set_name(spec: str):
    try:
        with _sessions().begin() as db:
            name_set(db, spec, request.form.get("name", ""), request.form.get("description"))
    except UnknownSet:
        abort(404)
    except ValueError as error:
        flash(gettext("Set %(spec)s: %(error)s.", spec=spec, error=error))
        return redirect(url_for("admin.sets"))
    flash(gettext("Set %(spec)s renamed.", spec=spec))
    return redirect(url_for("admin.sets"))


@blueprint.get("/quarantine")
@admin_required
def quarantine():
    source = request.args.get("source") or None
    with _sessions()() as db:
        items = state.quarantined(db, source)
    return render_template("admin/quarantine.html", items=items, source=source)


@blueprint.get("/quarantine/<int:number>")
@admin_required
def quarantined(number: int):
    with _sessions()() as db:
        item = db.get(QuarantinedRecord, number)
    if item is None:
        abort(404)
    return render_template("admin/quarantined.html", item=item, xml=indented(item.raw_xml))


@blueprint.post("/quarantine/<int:number>/retry")
@admin_required
def quarantine_retry(number: int):
    outcome = retry(_sessions(), [number], current_app.extensions["navette.settings"].publication())
    problem = outcome[0][1] if outcome else "it is no longer held"
    flash(
        gettext("Record %(number)s stored.", number=number)
        if problem is None
        else gettext("Record %(number)s: %(problem)s", number=number, problem=problem)
    )
    return redirect(url_for("admin.quarantine"))


@blueprint.post("/quarantine/<int:number>/discard")
@admin_required
def quarantine_discard(number: int):
    with _sessions().begin() as db:
        item = db.get(QuarantinedRecord, number)
        if item is None or item.status != "held":
            abort(404)
        item.status = "discarded"
    flash(gettext("Record %(number)s discarded.", number=number))
    return redirect(url_for("admin.quarantine"))


@blueprint.get("/deletions")
@admin_required
def deletions():
    with _sessions()() as db:
        held = state.held_deletions(db)
        runs = history.held_by(db, held)
    return render_template("admin/deletions.html", held=held, runs=runs)


@blueprint.post("/deletions/<int:number>/<action>")
@admin_required
def deletion_action(number: int, action: str):
    try:
        if action == "approve":
            count = approve(_sessions(), number, utc_now())
            flash(gettext("%(count)s records deleted.", count=count))
        elif action == "reject":
            reject(_sessions(), number)
            flash(gettext("Deletions rejected; the records stay."))
        else:
            abort(404)
    except state.SourceError:
        abort(404)
    return redirect(url_for("admin.deletions"))


@blueprint.get("/records")
@admin_required
def records():
    query, set_spec, page = listing_arguments()
    exact = find_row(query.strip()) if query.strip() else None
    if exact is not None:
        # A local or OAI identifier opens its record at once.
        local = exact if isinstance(exact, str) else exact.identifier
        return redirect(url_for("admin.record", identifier=local))
    return listing("admin/records.html", "admin.record", query, set_spec, page, True)


@blueprint.get("/records/<path:identifier>")
@admin_required
def record(identifier: str):
    found = find_row(identifier)
    if isinstance(found, str):
        return redirect(url_for("admin.record", identifier=found), 301)
    if found is None:
        abort(404)
    with _sessions()() as db:
        renderings = dict(
            db.execute(
                select(Rendering.prefix, Rendering.xml).where(Rendering.record_id == found.id)
            ).all()
        )
        specs = found.set_specs.split()
        names = dict(
            db.execute(select(SetRow.spec, SetRow.name).where(SetRow.spec.in_(specs))).all()
        )
    validity = {prefix: _problems(prefix, xml) for prefix, xml in renderings.items()}
    record = codec.from_dict(found.contents.data)
    published = publication().apply(record)
    return render_template(
        "admin/record.html",
        row=found,
        record=record,
        sheet=sheet(published),
        sets=[(spec, names.get(spec, spec)) for spec in specs],
        renderings={prefix: indented(xml) for prefix, xml in sorted(renderings.items())},
        validity=validity,
        oai_identifier=oai_prefix() + found.identifier,
        missing={}
        if found.deleted
        else {
            prefix: metadata_format.lacks(published) or NOT_RENDERED
            for prefix, metadata_format in FORMATS.items()
            if prefix not in renderings
        },
    )


def _problems(prefix: str, xml: str) -> list[str]:
    try:
        return [
            str(p) for p in validators.quick_problems(etree.fromstring(xml), FORMATS[prefix].schema)
        ]
    except SchemasMissing as error:
        return [f"not checked: {error}"]


@blueprint.get("/validation")
@admin_required
def validation():
    with _sessions()() as db:
        stored = db.get(Setting, LAST_VALIDATION)
        held = holdings(db, publication())
    report = json.loads(stored.value) if stored else None
    return render_template("admin/validation.html", report=report, holdings=held)


@blueprint.post("/validation")
@admin_required
def validation_run():
    report = validate_catalogue(_sessions())
    with _sessions().begin() as db:
        stored = db.get(Setting, LAST_VALIDATION)
        if stored is None:
            db.add(Setting(name=LAST_VALIDATION, value=json.dumps(report)))
        else:
            stored.value = json.dumps(report)
    flash(
        gettext(
            "%(checked)s renderings checked, %(invalid)s invalid.",
            checked=report["checked"],
            invalid=report["invalid"],
        )
    )
    return redirect(url_for("admin.validation"))


@blueprint.errorhandler(400)
@blueprint.errorhandler(401)
@blueprint.errorhandler(403)
@blueprint.errorhandler(404)
def refused(error):
    said = error.description
    if said == type(error).description:  # werkzeug's default text, not ours
        said = ADMIN_SAID.get(error.code, "")
    return render_template("admin/error.html", error=error, said=said), error.code


#: What an admin page says of an error that came with no sentence of its own.
ADMIN_SAID = {
    400: lazy_gettext(
        "The request was not as this page expects it: go back, reload the page and try again."
    ),
    401: lazy_gettext("Log in to use the admin pages."),
    403: lazy_gettext("The admin pages are closed on this server."),
    404: lazy_gettext(
        "There is no such page here: the source, run, record or entry may have been removed."
    ),
}
