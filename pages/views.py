"""Public pages of the catalogue: one landing page per film, and the list to find them.

The landing page is what aggregators link to (Europeana's ``edm:isShownAt``), what
search engines index (its JSON-LD) and what machines follow (its Signposting
``Link`` headers to the record's metadata in every format).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from catalogue import codec, search
from catalogue.model import as_uri
from catalogue.tables import RecordRow, SetRow
from mappings.formats import FORMATS
from mappings.publication import Publication
from pages import browsing
from pages.datasheet import facts, sheet
from pages.jsonld import json_ld, schema_type, script_text

blueprint = Blueprint("pages", __name__, template_folder="templates")

PAGE_SIZE = 50
#: The longest search a visitor may type (characters): each word is a LIKE.
MAX_QUERY = 200
#: The deepest page asked for (a database offset must stay a 64-bit number).
MAX_PAGE = 10_000_000


def sessions():
    """The store's session factory this app was made with."""
    return current_app.extensions["navette.sessions"]


def oai_prefix() -> str:
    """'oai:navette.example.org:': what an OAI identifier of this repository starts with."""
    return f"oai:{current_app.extensions['navette.oai'].config.repository_identifier}:"


def oai_endpoint() -> str:
    return current_app.extensions["navette.oai"].base_url or url_for("oai.endpoint", _external=True)


def publication() -> Publication:
    """As configured; without a public URL, the site this request came to."""
    settings = current_app.extensions["navette.settings"]
    return settings.publication(fallback_site=request.host_url)


def find_row(identifier: str):
    """The stored row for a local identifier, or for this repository's OAI identifier
    (none for text no record can hold: a NUL, which PostgreSQL refuses to compare)."""
    if "\x00" in identifier:
        return None
    with sessions()() as db:
        row = db.scalar(
            select(RecordRow)
            .options(joinedload(RecordRow.contents))
            .where(RecordRow.identifier == identifier)
        )
        prefix = oai_prefix()
        if row is None and identifier.startswith(prefix):
            local = identifier[len(prefix) :]
            if db.scalar(select(RecordRow.id).where(RecordRow.identifier == local)) is not None:
                return local
        return row


def disseminated(row: RecordRow) -> list[str]:
    """The metadata prefixes the record is served in (the store's list, as known today)."""
    served = current_app.extensions["navette.oai"].config.formats
    return sorted(set(row.formats.split()) & set(served))


def signposting(row: RecordRow, record, page_url: str) -> str:
    """The Link header (signposting.org): the citable URL, the type, each metadata format.
    Each target is written as a URI (``as_uri``): a stored URL can neither add links nor
    hold characters a header cannot carry; one that cannot be made a URI is left out."""
    cite = as_uri(record.landing_page or "") or as_uri(page_url) or page_url
    links = [
        f'<{cite}>; rel="cite-as"',
        '<https://schema.org/AboutPage>; rel="type"',
        f'<https://schema.org/{schema_type(record)}>; rel="type"',
    ]
    identifier = oai_prefix() + row.identifier
    for prefix in disseminated(row):
        query = urlencode({"verb": "GetRecord", "metadataPrefix": prefix, "identifier": identifier})
        links.append(
            f'<{oai_endpoint()}?{query}>; rel="describedby"; type="text/xml"; '
            f'profile="{FORMATS[prefix].namespace}"'
        )
    license_uri = as_uri(record.rights_uri or "")
    if license_uri:
        links.append(f'<{license_uri}>; rel="license"')
    return ", ".join(links)


@blueprint.get("/records/<path:identifier>")
def record(identifier: str):
    found = find_row(identifier)
    if isinstance(found, str):
        return redirect(url_for("pages.record", identifier=found), 301)
    if found is None:
        abort(404)
    if found.deleted:
        page = render_template(
            "pages/withdrawn.html", identifier=found.identifier, deleted_at=found.deleted_at
        )
        return page, 410
    site = publication()
    page_url = site.landing_page(found.identifier) or request.base_url
    published = site.apply(codec.from_dict(found.contents.data))
    body = render_template(
        "pages/record.html",
        row=found,
        page_url=page_url,
        sheet=sheet(published, page_language()),
        jsonld=script_text(json_ld(published, page_url, f"{page_url}/manifest.json")),
        oai_identifier=oai_prefix() + found.identifier,
        oai_endpoint=oai_endpoint(),
        formats=disseminated(found),
    )
    return body, 200, {"Link": signposting(found, published, page_url)}


def listing_arguments() -> tuple[str, str | None, int]:
    """The search words, set and page asked for; a page that is not a number is refused."""
    query = request.args.get("q", "")[:MAX_QUERY]
    set_spec = request.args.get("set") or None
    if "\x00" in query or "\x00" in (set_spec or ""):
        abort(400, description=gettext("The search holds a NUL character, which no record holds."))
    page_text = request.args.get("page", "1")
    digits = page_text.isascii() and page_text.isdigit()  # '²' is a digit, not a number
    if not digits or not 1 <= int(page_text) <= MAX_PAGE:
        abort(
            400,
            description=gettext(
                "page=%(page)s is not a page number (1 to %(last)s).",
                page=repr(page_text[:20]),
                last=MAX_PAGE,
            ),
        )
    return query, set_spec, int(page_text)


def set_choices(db) -> list[tuple[str, str]]:
    return [
        (spec, name)
        for spec, name in db.execute(select(SetRow.spec, SetRow.name).order_by(SetRow.spec))
    ]


#: Each language of the pages, named in itself.
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


@blueprint.app_context_processor
def _site() -> dict[str, Any]:
    language = page_language()
    return {
        "site_name": current_app.extensions["navette.settings"].repository_name,
        "page_language": language,
        "other_languages": [
            (code, name) for code, name in LANGUAGE_NAMES.items() if code != language
        ],
        "in_language": in_language,
        "preferred": preferred,
    }


def preferred(texts: list) -> list:
    """Of texts in several languages, those in the page's language when there are any."""
    language = page_language()
    mine = [text for text in texts if text.lang == language]
    return mine or texts


def page_language() -> str:
    return str(get_locale() or "en")


def in_language(code: str) -> str:
    """This page's address in another language (the choice is then remembered)."""
    arguments = request.args.to_dict(flat=False)
    arguments["lang"] = [code]
    return url_for(request.endpoint or "pages.home", **(request.view_args or {}), **arguments)


def listing(template: str, record_endpoint: str, query: str, set_spec: str | None,
            page: int, with_deleted: bool = False) -> str:  # fmt: skip
    """One page of records found, rendered by ``template`` (the public list, the admin's)."""
    sort = request.args.get("sort") or ("relevance" if query.strip() else "title")
    if sort not in search.SORTS:
        abort(
            400,
            description=gettext(
                "sort=%(sort)s is not one of %(sorts)s.",
                sort=repr(sort[:20]),
                sorts=", ".join(search.SORTS),
            ),
        )
    picked = browsing.chosen()
    index = current_app.extensions.get("navette.browse")
    bitmaps = index.current() if index is not None and not with_deleted else None
    with sessions()() as db:
        among = None if bitmaps is None else search.matching(db, bitmaps, query, set_spec, picked)
        found = search.find(
            db, query, set_spec, page, PAGE_SIZE, with_deleted, sort, picked, bitmaps, among
        )
        choices = set_choices(db)
        counted = (
            {}
            if with_deleted
            else search.facet_counts(
                db,
                query,
                set_spec,
                picked,
                browsing.shown_kinds(picked),
                ("", page_language()),
                bitmaps,
                among,
            )
        )
    if page > found.pages:
        abort(
            404, description=gettext("There are %(num)s pages of these records.", num=found.pages)
        )
    films = [(i, codec.from_dict(data), deleted) for i, data, deleted in found.records]
    return render_template(
        template,
        found=found,
        films=films,
        query=query,
        set_spec=set_spec,
        sort=sort,
        sorts=search.SORTS,
        choices=choices,
        facts=facts,
        record_endpoint=record_endpoint,
        picked=picked,
        counted=counted,
        browsing=browsing,
    )


@blueprint.get("/records")
def records():
    return listing("pages/records.html", "pages.record", *listing_arguments())
