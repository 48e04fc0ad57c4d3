"""Who harvests this endpoint: clients, their requests by verb and the records they
were served, per day, drawn and listed."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, request
from flask_babel import gettext

from catalogue import usage
from navette.admin import charts
from navette.admin.auth import admin_required
from navette.admin.views import blueprint
from protocol.dates import utc_now

#: The periods the page offers, in days.
PERIODS = (7, 30, 90)
#: Verbs in the order they are stacked, with their colours.
VERBS = ("ListRecords", "ListIdentifiers", "GetRecord", "Identify", "ListMetadataFormats",
         "ListSets", "other")  # fmt: skip


@blueprint.get("/harvesters")
@admin_required
def harvesters():
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    today = utc_now().date()
    since = today - timedelta(days=days - 1)
    with current_app.extensions["navette.sessions"]() as db:
        clients = usage.clients(db, since)
        daily = usage.per_day(db, since)
    dates = [since + timedelta(days=n) for n in range(days)]
    labels = [f"{day:%m-%d}" for day in dates]
    requests = {(day, verb): count for day, verb, count, _ in daily}
    served = {day: 0 for day in dates}
    for day, _, _, records in daily:
        served[day] += records
    span = gettext(
        "the %(days)s days from %(since)s to %(today)s (UTC)", days=days, since=since, today=today
    )
    drawn = [
        charts.stacked_bars(
            gettext("OAI requests per day, by verb"),
            gettext("Requests answered each day, by verb, over %(span)s.", span=span),
            labels,
            [
                charts.Series(verb, [requests.get((day, verb), 0) for day in dates], colour)
                for verb, colour in zip(VERBS, charts.PALETTE, strict=True)
            ],
        ),
        charts.stacked_bars(
            gettext("Records served per day"),
            gettext("Records and headers sent in answers each day, over %(span)s.", span=span),
            labels,
            [charts.Series(gettext("records"), [served[day] for day in dates], charts.PALETTE[0])],
        ),
    ]
    return render_template(
        "admin/harvesters.html",
        clients=clients,
        charts=drawn if daily else [],
        days=days,
        periods=PERIODS,
        since=since,
        verbs=VERBS,
        counting=current_app.extensions["navette.settings"].usage_days > 0,
        other=usage.OTHER,
    )
