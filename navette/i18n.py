"""The pages' language: French or English, as the visitor chose (a link that is then
remembered in a cookie) or, until they choose, as their browser asks (Accept-Language).

The message catalogues live in ``navette/translations`` (``.po`` to edit, ``.mo`` as
Babel compiles them; a test checks they agree and that every message is translated).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, request
from flask_babel import Babel

#: The languages of the pages, the first the default.
LANGUAGES = ("en", "fr")
COOKIE = "lang"
TRANSLATIONS = Path(__file__).parent / "translations"
#: How long a visitor's choice is remembered (a year, in seconds).
REMEMBERED = 365 * 24 * 3600


def chosen_language() -> str:
    """``?lang=`` when the visitor just chose, else their remembered choice, else the
    best of their browser's languages, else English; on the admin pages as on the
    public ones."""
    for asked in (request.args.get(COOKIE), request.cookies.get(COOKIE)):
        if asked in LANGUAGES:
            return asked
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def _remember(response: Response) -> Response:
    asked = request.args.get(COOKIE)
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=REMEMBERED, samesite="Lax", httponly=True)
    if response.mimetype == "text/html":
        # A page is in the language its visitor's browser or cookie chose.
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def install(app: Flask) -> None:
    Babel(app, locale_selector=chosen_language, default_translation_directories=str(TRANSLATIONS))
    app.after_request(_remember)
