"""The pages in French and English: chosen by the browser's Accept-Language until the
visitor picks one with the switch (then remembered), every message translated, a
record's titles, series and subjects in the visitor's language first.  On both
databases, over the demo catalogue."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from lxml import html

from navette.i18n import TRANSLATIONS
from tests.conftest import ROOT, requires_schemas

pytestmark = requires_schemas

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
CATALOGUE = TRANSLATIONS / "fr" / "LC_MESSAGES"
#: Where the public pages' messages are, as babel.cfg says.
SOURCES = {
    "pages": [("**.py", "python"), ("templates/**.html", "jinja2")],
    "oai": [("templates/**.html", "jinja2")],
    "navette/admin": [("**.py", "python"), ("templates/**.html", "jinja2")],
}


def page(site, address: str, **headers):
    return html.fromstring(site.get(address, headers=headers).data)


def test_a_french_browser_gets_the_seed_landing_page_in_french(site):
    landing = page(site, "/records/cnrs-6764", **FRENCH)
    assert landing.xpath("/html/@lang") == ["fr"]
    text = landing.text_content()
    for label in ("Fiche technique", "Sujets", "Intervenants", "Réalisateur", "Couleur", "Son"):
        assert label in text, label
    assert landing.xpath("//h1/text()") == ["Mars Express Mission"]
    assert landing.xpath("//h1/@lang") == ["en"]  # the record's own title, in its language


def test_without_a_known_language_the_pages_are_english(site):
    for headers in ({}, {"Accept-Language": "de-DE,de"}):
        home = page(site, "/", **headers)
        assert home.xpath("/html/@lang") == ["en"] and "films in the catalogue" in (
            home.text_content()
        )


def test_the_switch_is_remembered(site):
    answer = site.get("/records?lang=fr")
    assert "lang=fr" in answer.headers["Set-Cookie"]
    later = page(site, "/", **{"Accept-Language": "en"})
    assert later.xpath("/html/@lang") == ["fr"]
    switch = later.xpath('//a[@hreflang="en"]/@href')
    assert switch == ["/?lang=en"]
    site.get(switch[0])
    assert page(site, "/").xpath("/html/@lang") == ["en"]


def test_the_switch_keeps_the_page_and_its_search(site):
    listed = page(site, "/records?q=space&decade=2000s", **FRENCH)
    (switch,) = listed.xpath('//a[@hreflang="en"]/@href')
    assert switch.startswith("/records?") and "q=space" in switch and "decade=2000s" in switch


def test_pages_say_they_vary_with_the_language(site):
    assert set(site.get("/").headers["Vary"].split(", ")) >= {"Accept-Language", "Cookie"}


def test_a_film_with_a_french_title_shows_it_first_to_a_french_visitor(site):
    french = page(site, "/records/cnrs-7000", **FRENCH)
    english = page(site, "/records/cnrs-7000")
    assert french.xpath("//h1/@lang") == ["fr"] and english.xpath("//h1/@lang") == ["en"]
    listed = page(site, "/records?q=coral+reefs", **FRENCH).xpath("//tbody/tr/td[1]/a/text()")
    assert listed and all(title.startswith("Les récifs coralliens") for title in listed)


def test_facet_values_are_in_the_visitors_language(site):
    french = page(site, "/records", **FRENCH)
    series = french.xpath('//aside//section[h2="Série"]//a/text()')
    assert "Questions de Terre" in series and "Earth Matters" not in series


def test_error_pages_are_translated(site):
    missing = page(site, "/no/such/page", **FRENCH)
    assert missing.xpath("//h1/text()") == ["Page introuvable"]


def test_every_message_of_the_pages_is_translated_into_french():
    found = set()
    for directory, methods in SOURCES.items():
        keywords = {"_": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
        for _, _, message, *_ in extract_from_dir(ROOT / directory, methods, keywords):
            found.add(message if isinstance(message, str) else message[0])
    assert len(found) > 90  # the extraction read the pages
    catalogue = read_po(open(CATALOGUE / "messages.po", "rb"))
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    assert sorted(found - translated) == []


def test_the_compiled_catalogue_is_the_one_written():
    written = read_po(open(CATALOGUE / "messages.po", "rb"))
    compiled = read_mo(io.BytesIO(Path(CATALOGUE / "messages.mo").read_bytes()))

    def strings(catalogue) -> dict:
        def plain(value):
            return tuple(value) if isinstance(value, list | tuple) else value

        return {plain(m.id): plain(m.string) for m in catalogue if m.id}

    assert strings(written) == strings(compiled)


def test_the_admin_pages_speak_french_to_a_french_browser(database_url):
    from catalogue.database import open_store
    from navette import demo
    from tests.admin.conftest import console_of

    sessions = open_store(database_url)
    demo.load(sessions)
    sessions.kw["bind"].dispose()
    with console_of(database_url) as admin:
        sheet = html.fromstring(admin.get("/admin/records/cnrs-6764", headers=FRENCH).data)
        home = html.fromstring(admin.get("/admin/", headers=FRENCH).data)
        english = html.fromstring(admin.get("/admin/").data)
    assert sheet.xpath("/html/@lang") == ["fr"] and "Fiche technique" in sheet.text_content()
    assert "Dans l’entrepôt" in sheet.text_content()
    assert home.xpath("//h1/text()") == ["Sources"] and "Ajouter une source" in home.text_content()
    assert english.xpath("/html/@lang") == ["en"] and "Add a source" in english.text_content()


def test_bytes_that_are_not_utf8_in_the_query_choose_no_language_and_break_no_page(site):
    """A raw 0x80 reaches the app unchanged through a WSGI server; it is a bad value, not a
    500, wherever the arguments are read (the language chooser first)."""
    for address in ("/", "/records", "/oai"):
        response = site.get(address, environ_overrides={"QUERY_STRING": "\x80lang=\xff"})
        assert response.status_code < 500, address
        assert "lang" not in response.headers.get("Set-Cookie", "")
