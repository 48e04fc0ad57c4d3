"""Error pages in the site's own design, for every public URL: a visitor never meets a
framework's default text nor a Python exception.  The admin pages answer their own
errors; the OAI endpoint answers every request with OAI-PMH."""

from __future__ import annotations

import logging

from flask import render_template
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from pages.views import blueprint

log = logging.getLogger("navette.pages")

#: Status -> the page's heading and what the visitor can do about it.
SAID = {
    400: (
        lazy_gettext("This request cannot be answered"),
        lazy_gettext("Something in the address is not as the site expects it."),
    ),
    404: (
        lazy_gettext("Not found"),
        lazy_gettext("There is no page at this address. Search the catalogue instead:"),
    ),
    405: (
        lazy_gettext("Not allowed"),
        lazy_gettext("This address does not answer that kind of request."),
    ),
    410: (lazy_gettext("Withdrawn"), lazy_gettext("This page was here and has been withdrawn.")),
    500: (
        lazy_gettext("Something went wrong on our side"),
        lazy_gettext("The error is logged for the library's team; please try again later."),
    ),
}


@blueprint.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = error.code or 500
    heading, advice = SAID.get(code, (error.name, ""))
    detail = error.description if code == 400 else None
    return render_template(
        "pages/error.html", code=code, heading=heading, advice=advice, detail=detail
    ), code


@blueprint.app_errorhandler(InternalServerError)
def server_error(error: InternalServerError):
    log.error("an error reached a visitor: %s", getattr(error, "original_exception", error))
    heading, advice = SAID[500]
    return render_template(
        "pages/error.html", code=500, heading=heading, advice=advice, detail=None
    ), 500
