"""The public home page: what the library is, how much it holds, what is new, its series,
and the doors for people (the catalogue) and for machines (OAI-PMH and its formats)."""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import func, select

from catalogue import codec
from catalogue.tables import RecordContent, RecordRow, RecordSet, SetRow
from mappings.formats import FORMATS
from pages.views import blueprint, oai_endpoint, sessions

#: Records shown as the latest additions, and series listed.
LATEST = 6
SERIES = 12


@blueprint.get("/")
def home():
    settings = current_app.extensions["navette.settings"]
    live = RecordRow.deleted.is_(False)
    with sessions()() as db:
        films = db.scalar(select(func.count()).where(live))
        latest = db.execute(
            select(RecordRow.identifier, RecordContent.data)
            .join(RecordRow.contents)
            .where(live)
            .order_by(RecordRow.datestamp.desc(), RecordRow.id.desc())
            .limit(LATEST)
        ).all()
        series = db.execute(
            select(SetRow.spec, SetRow.name, func.count())
            .join(RecordSet, RecordSet.spec == SetRow.spec)
            .join(RecordRow, RecordRow.id == RecordSet.record_id)
            .where(SetRow.spec.startswith("series:"), live)
            .group_by(SetRow.spec, SetRow.name)
            .order_by(func.count().desc(), SetRow.name)
            .limit(SERIES)
        ).all()
    served = current_app.extensions["navette.oai"].config.formats
    return render_template(
        "pages/home.html",
        site_text=settings.site_text,
        logo_url=settings.logo_url,
        films=films,
        latest=[(identifier, codec.from_dict(data)) for identifier, data in latest],
        series=series,
        oai_endpoint=oai_endpoint(),
        formats=[FORMATS[prefix] for prefix in served],
    )
