"""/records: the catalogue listed, searched by title, person, subject or identifier, by set."""

from __future__ import annotations

import pytest
from lxml import html

from tests.conftest import requires_schemas

pytestmark = [pytest.mark.store, requires_schemas]


def _titles(page) -> list[str]:
    return html.fromstring(page.data).xpath("//tbody/tr/td[1]/a/text()")


def _identifiers(page) -> list[str]:
    return html.fromstring(page.data).xpath("//tbody/tr/td[4]/code/text()")


def _status(page) -> str:
    return html.fromstring(page.data).xpath('//p[@role="status"]')[0].text_content()


@pytest.mark.parametrize(
    "query",
    ["Mars Express", "mifsud", "BIBRING jean-pierre", "space sciences", "cnrs-6764", "6764"],
)
def test_a_search_finds_the_seed_by_title_person_subject_or_identifier(site, query):
    assert "Mars Express Mission" in _titles(site.get("/records", query_string={"q": query}))


def test_a_search_ignores_case_and_accents(site):
    assert "Mars Express Mission" in _titles(site.get("/records?q=FRANCOIS+leblanc"))


def test_every_word_must_match(site):
    assert _titles(site.get("/records?q=mifsud+nosuchword")) == []


def test_the_list_pages_through_the_live_catalogue(site):
    first, second = site.get("/records"), site.get("/records?page=2")
    assert "220 records, page 1 of 5" in _status(first)
    assert len(_identifiers(first)) == 50
    assert set(_identifiers(first)).isdisjoint(_identifiers(second))
    assert 'rel="next"' in first.data.decode() and 'rel="prev"' in second.data.decode()


def test_a_set_narrows_the_list(site):
    page = site.get("/records?set=series:facing-the-universe-a-dive-into-space-research")
    assert "Mars Express Mission" in _titles(page)
    assert len(_titles(page)) < 50


@pytest.mark.parametrize("page", ["two", "0", "-1", "99999999999999999999999", "²", "١"])
def test_a_page_that_is_not_a_page_number_is_a_bad_request(site, page):
    response = site.get(f"/records?page={page}")
    assert response.status_code == 400 and b"is not a page number" in response.data


def test_a_page_past_the_last_is_not_found(site):
    assert site.get("/records?page=9999999").status_code == 404


def test_search_words_are_text_not_patterns(site):
    assert _titles(site.get("/records?q=%25")) == [] and _titles(site.get("/records?q=_")) == []


def test_records_stored_before_the_search_line_are_found_after_the_upgrade(database_url):
    """Migration 0004 fills the search line of every record already in the store."""
    from datetime import datetime

    from sqlalchemy import JSON, Boolean, DateTime, String, column, create_engine, insert, table

    from catalogue.database import open_store, upgrade
    from catalogue.search import find
    from catalogue.tables import JSONType

    records_0003 = table(
        "records",
        *(column(name, String) for name in ("identifier", "content_hash", "formats", "set_specs")),
        column("datestamp", DateTime),
        column("deleted", Boolean),
        column("data", JSONType if database_url.startswith("postgresql") else JSON),
    )

    engine = create_engine(database_url)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            insert(records_0003).values(
                identifier="old-1",
                datestamp=datetime(2020, 1, 1),
                deleted=False,
                content_hash="x",
                formats=" oai_dc ",
                set_specs="",
                data={"identifier": "old-1", "titles": [{"value": "Étoiles filantes"}]},
            ),
        )
    upgrade(engine)
    engine.dispose()
    sessions = open_store(database_url)
    with sessions() as session:
        assert [r[0] for r in find(session, "etoiles").records] == ["old-1"]
    sessions.kw["bind"].dispose()


@pytest.mark.parametrize("query", ["q=mars%00", "set=series%00x"])
def test_a_search_holding_a_nul_is_a_bad_request(site, query):
    response = site.get(f"/records?{query}")
    assert response.status_code == 400 and b"NUL" in response.data


def test_a_record_path_holding_a_nul_is_not_found(site):
    assert site.get("/records/cnrs-6764%00").status_code == 404
