"""What search engines read first: ``/robots.txt`` naming the sitemap, and the sitemap
itself (sitemaps.org 0.9) as an index of pages of landing pages, each with the record's
datestamp as its ``lastmod``.

A sitemap holds at most 50,000 URLs; pages of ``PER_SITEMAP`` keep each one quick to
make and to read.  Only live records are listed: a withdrawn one answers 410.
"""

from __future__ import annotations

from flask import Response, abort, url_for
from lxml import etree
from lxml.builder import ElementMaker
from sqlalchemy import func, select

from catalogue.tables import RecordRow
from pages.views import blueprint, publication, sessions
from protocol.dates import format_datestamp
from protocol.namespaces import SITEMAPS

S = ElementMaker(namespace=SITEMAPS, nsmap={None: SITEMAPS})
PER_SITEMAP = 10_000
XML = "application/xml; charset=utf-8"


def _xml(root: etree._Element) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Response(body, content_type=XML)


def _site() -> str:
    """The public site's root, as landing pages are announced (configured, else this host)."""
    return publication().site_url or ""


@blueprint.get("/robots.txt")
def robots():
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {_site()}{url_for('pages.sitemap_index')}",
    ]
    return Response("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@blueprint.get("/sitemap.xml")
def sitemap_index():
    live = RecordRow.deleted.is_(False)
    with sessions()() as db:
        count, newest = db.execute(
            select(func.count(), func.max(RecordRow.datestamp)).where(live)
        ).one()
    pages = max(1, -(-count // PER_SITEMAP))
    root = S.sitemapindex(
        *(
            S.sitemap(
                S.loc(f"{_site()}{url_for('pages.sitemap', number=number)}"),
                *([S.lastmod(format_datestamp(newest))] if newest else []),
            )
            for number in range(1, pages + 1)
        )
    )
    return _xml(root)


@blueprint.get("/sitemaps/<int:number>.xml")
def sitemap(number: int):
    if number < 1:
        abort(404)
    site = publication()
    with sessions()() as db:
        rows = db.execute(
            select(RecordRow.identifier, RecordRow.datestamp)
            .where(RecordRow.deleted.is_(False))
            .order_by(RecordRow.id)
            .offset((number - 1) * PER_SITEMAP)
            .limit(PER_SITEMAP)
        ).all()
    if not rows and number > 1:
        abort(404)
    root = S.urlset(
        *(
            S.url(S.loc(site.landing_page(identifier)), S.lastmod(format_datestamp(datestamp)))
            for identifier, datestamp in rows
        )
    )
    return _xml(root)
