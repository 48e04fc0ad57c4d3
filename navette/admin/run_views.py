"""A source's page with its history drawn, and the report of each harvest run."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, current_app, render_template
from flask_babel import gettext

from catalogue.tables import HarvestRun, SourceRow
from harvester import controls, history
from navette.admin import charts
from navette.admin.auth import admin_required
from navette.admin.views import blueprint
from protocol.dates import utc_now

#: Runs drawn on a source's page, and listed in its table.
DRAWN = 100


def _sessions():
    return current_app.extensions["navette.sessions"]


@blueprint.app_template_filter("when")
def when(moment: datetime | None) -> str:
    """A stored moment (UTC) as the pages write it, with its time zone."""
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} UTC"


@blueprint.app_template_filter("lasting")
def lasting(span: timedelta | None) -> str:
    if span is None:
        return ""
    seconds = round(span.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@blueprint.get("/sources/<name>")
@admin_required
def source(name: str):
    with _sessions()() as db:
        row = db.get(SourceRow, name)
        if row is None:
            abort(404)
        runs = history.runs_over_time(db, name, DRAWN)
        reasons = history.quarantine_by_reason(db, name)
        live = controls.live_records(db, name)
    return render_template(
        "admin/source.html",
        source=row,
        runs=list(reversed(runs)),
        live=live,
        charts=_charts(runs, reasons),
        reasons=reasons,
        history=history,
        progress=controls.progress(row, runs[-1] if runs else None, utc_now()),
    )


def _charts(runs: list[HarvestRun], reasons: list[tuple[str, int]]) -> dict[str, charts.Chart]:
    """The source's history drawn, each chart by its name."""
    if not runs:
        return {}
    labels = [f"{run.started:%m-%d %H:%M}" for run in runs]

    def count(name: str) -> list[float]:
        return [run.counts.get(name, 0) for run in runs]

    kinds = [("new", 0), ("updated", 1), ("unchanged", 6), ("deleted", 3), ("rejected", 4)]
    named = {
        "new": gettext("new"),
        "updated": gettext("updated"),
        "unchanged": gettext("unchanged"),
        "deleted": gettext("deleted"),
        "rejected": gettext("rejected"),
    }
    span = gettext(
        "%(count)s runs from %(first)s to %(last)s",
        count=len(runs),
        first=when(runs[0].started),
        last=when(runs[-1].started),
    )
    drawn = {
        "records": charts.stacked_bars(
            gettext("Records read per run"),
            gettext(
                "Records each run read, by what became of them, for the last %(span)s.", span=span
            ),
            labels,
            [
                charts.Series(named[kind], count(kind), charts.PALETTE[colour])
                for kind, colour in kinds
            ],
        ),
        "duration": charts.stacked_bars(
            gettext("Duration of each run"),
            gettext(
                "Seconds each run took; failed runs in orange-red, for the last %(span)s.",
                span=span,
            ),
            labels,
            [
                charts.Series(
                    gettext("succeeded"),
                    [_seconds(r) if r.status != "failed" else None for r in runs],
                    charts.PALETTE[0],
                ),
                charts.Series(
                    gettext("failed"),
                    [_seconds(r) if r.status == "failed" else None for r in runs],
                    charts.FAILED,
                ),
            ],
            unit=" s",
        ),
        "failures": charts.stacked_bars(
            gettext("Failures per run"),
            gettext(
                "Records each run refused (quarantined), runs that failed shaded, for the last "
                "%(span)s.",
                span=span,
            ),
            labels,
            [charts.Series(gettext("records refused"), count("rejected"), charts.PALETTE[4])],
            marked=[r.status == "failed" for r in runs],
            mark=gettext("run failed"),
        ),
        "growth": charts.line(
            gettext("Live records after each run"),
            gettext(
                "The source's live records in the catalogue when each run ended (runs before "
                "Navette counted them leave a gap), for the last %(span)s.",
                span=span,
            ),
            labels,
            [run.counts.get("live") for run in runs],
        ),
    }
    if reasons:
        drawn["reasons"] = charts.horizontal_bars(
            gettext("Records in quarantine by reason"),
            gettext("The source's records held in quarantine now, counted by kind of reason."),
            reasons[:12],
        )
    return drawn


def _seconds(run: HarvestRun) -> float | None:
    span = history.duration(run)
    return span.total_seconds() if span is not None else None


@blueprint.get("/runs/<int:number>")
@admin_required
def run_report(number: int):
    with _sessions()() as db:
        found = history.report(db, number, utc_now())
        if found is None:
            abort(404)
    return render_template("admin/run.html", report=found, run=found.run)
