"""The public face: a home page, the OAI endpoint explained to a person, error pages in
the site's design, a numbered pager, and what search engines read (robots.txt, the
sitemap valid against the sitemaps.org schema, canonical links); on both databases."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from lxml import etree, html

from catalogue.database import open_store
from catalogue.tables import RecordRow
from navette.app import close_app, create_app
from navette.config import Settings
from protocol.dates import format_datestamp
from schemas.registry import SchemasMissing, schema_dir
from tests.conftest import requires_schemas
from tests.pages.conftest import PUBLIC_URL

pytestmark = requires_schemas

SITEMAPS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def tree(answer):
    return html.fromstring(answer.data)


def test_the_home_page_names_the_library_and_counts_its_films(site):
    page = tree(site.get("/"))
    assert page.xpath("//h1/text()") == ["Navette video library"]
    assert "220 films in the catalogue." in page.text_content()  # the demo less one withdrawn


def test_the_home_page_shows_the_latest_films_newest_first(site, database_url):
    page = tree(site.get("/"))
    shown = [a.get("href") for a in page.xpath('//section[@aria-labelledby="latest"]//a')]
    sessions = open_store(database_url)
    with sessions() as session:
        newest = session.scalars(
            RecordRow.__table__.select()
            .with_only_columns(RecordRow.identifier)
            .where(RecordRow.deleted.is_(False))
            .order_by(RecordRow.datestamp.desc(), RecordRow.id.desc())
            .limit(6)
        ).all()
    sessions.kw["bind"].dispose()
    assert shown == [f"/records/{identifier}" for identifier in newest]


def test_the_home_pages_series_lead_to_the_filtered_catalogue(site):
    page = tree(site.get("/"))
    links = page.xpath('//section[@aria-labelledby="series"]//a')
    assert links and all(a.get("href").startswith("/records?set=series") for a in links)
    first = site.get(links[0].get("href"))
    count = int(re.search(r"\((\d+)\)", links[0].getparent().text_content()).group(1))
    assert f"{count} record" in tree(first).xpath('//p[@role="status"]')[0].text_content()


def test_the_home_page_shows_the_settings_text_and_logo(database_url):
    settings = Settings(database_url=database_url, secret_key="k",
                        site_text="Films of research since 1948.",
                        logo_url="https://films.example.org/logo.svg")  # fmt: skip
    app = create_app(settings)
    try:
        page = tree(app.test_client().get("/"))
    finally:
        close_app(app)
    assert "Films of research since 1948." in page.text_content()
    assert page.xpath('//img[@class="logo"]/@src') == ["https://films.example.org/logo.svg"]


def test_the_home_page_tells_harvesters_where_each_format_is(site):
    page = tree(site.get("/"))
    links = page.xpath('//section[@aria-labelledby="harvest"]//a[contains(@href, "ListRecords")]')
    prefixes = [re.search(r"metadataPrefix=(\w+)", a.get("href")).group(1) for a in links]
    assert prefixes == ["oai_dc", "ebucore", "edm", "marcxml", "mods"]
    for link in links:
        answer = site.get(link.get("href").replace("http://localhost", ""))
        assert b"<ListRecords>" in answer.data and b"<error" not in answer.data


def test_the_oai_endpoint_opened_in_a_browser_explains_itself(site):
    page = tree(site.get("/oai", headers=BROWSER))
    assert page.xpath("//h1/text()") == ["OAI-PMH endpoint"]
    examples = page.xpath("//dl//a/@href")
    verbs = [re.search(r"verb=(\w+)", href).group(1) for href in examples]
    assert verbs == ["Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers",
                     "ListRecords", "GetRecord"]  # fmt: skip
    for href in examples:
        answer = site.get(href.replace("http://localhost", ""))
        assert b"<error" not in answer.data, href


def test_a_harvester_without_a_verb_still_gets_bad_verb(site):
    assert b'<error code="badVerb">' in site.get("/oai").data


def test_an_unknown_page_is_a_404_in_the_sites_design_with_a_search_box(site):
    answer = site.get("/no/such/page")
    page = tree(answer)
    assert answer.status_code == 404
    assert page.xpath("//h1/text()") == ["Not found"]
    assert page.xpath('//form[@role="search"]//input[@name="q"]')
    assert "The requested URL was not found on the server" not in answer.text


def test_an_unknown_record_is_a_404_in_the_sites_design(site):
    answer = site.get("/records/cnrs-0000")
    assert answer.status_code == 404 and tree(answer).xpath("//h1/text()") == ["Not found"]


def test_a_withdrawn_record_is_a_410_saying_when(site):
    answer = site.get("/records/cnrs-7001")
    assert answer.status_code == 410
    today = format_datestamp(datetime.utcnow())[:10]
    assert f"was withdrawn on {today}" in tree(answer).text_content()


def test_a_bad_request_is_a_400_saying_what_is_wrong(site):
    answer = site.get("/records?page=abc")
    assert answer.status_code == 400
    assert "is not a page number" in tree(answer).text_content()


def test_a_wrong_method_is_a_405_in_the_sites_design(site):
    answer = site.post("/records")
    assert answer.status_code == 405 and tree(answer).xpath("//h1/text()") == ["Not allowed"]


def test_a_failure_inside_is_a_500_page_without_the_exception(database_url):
    app = create_app(Settings(database_url=database_url, secret_key="k"))

    def broken():
        raise RuntimeError("secret internals: table xyz")

    app.add_url_rule("/broken", "broken", broken)
    try:
        answer = app.test_client().get("/broken")
    finally:
        close_app(app)
    assert answer.status_code == 500
    assert "Something went wrong on our side" in answer.text
    assert "secret internals" not in answer.text and "Traceback" not in answer.text


def test_pages_are_numbered_and_the_current_one_marked(site):
    page = tree(site.get("/records?page=3"))
    pager = page.xpath('//nav[@class="pager"]')[0]
    assert pager.xpath(".//*[@aria-current='page']/text()") == ["3"]
    numbers = [n.strip() for n in pager.xpath(".//li//text()") if n.strip()]
    assert numbers == ["Previous", "1", "2", "3", "4", "5", "Next"]


def test_a_page_past_the_last_is_a_404(site):
    assert site.get("/records?page=5").status_code == 200
    assert site.get("/records?page=6").status_code == 404


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(site):
    text = site.get("/robots.txt").text
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in text and "Disallow: /admin/" in text


def sitemap_schema(name: str) -> etree.XMLSchema:
    try:
        folder = schema_dir()
    except SchemasMissing as error:
        pytest.skip(str(error))
    path = folder / "resourcesync" / name
    if not path.is_file():
        pytest.skip(f"{path} is not here: the sitemaps.org schema comes with ../shared/schemas")
    return etree.XMLSchema(etree.parse(str(path)))


def test_the_sitemap_index_is_valid_and_names_its_pages(site):
    index = etree.fromstring(site.get("/sitemap.xml").data)
    sitemap_schema("siteindex.xsd").assertValid(index)
    assert [loc.text for loc in index.iter(f"{SITEMAPS}loc")] == [f"{PUBLIC_URL}/sitemaps/1.xml"]


def test_the_sitemap_lists_every_live_landing_page_with_its_datestamp(site, database_url):
    urlset = etree.fromstring(site.get("/sitemaps/1.xml").data)
    sitemap_schema("sitemap.xsd").assertValid(urlset)
    listed = {
        url.findtext(f"{SITEMAPS}loc"): url.findtext(f"{SITEMAPS}lastmod")
        for url in urlset.iter(f"{SITEMAPS}url")
    }
    sessions = open_store(database_url)
    with sessions() as session:
        live = session.execute(
            RecordRow.__table__.select()
            .with_only_columns(RecordRow.identifier, RecordRow.datestamp)
            .where(RecordRow.deleted.is_(False))
        ).all()
    sessions.kw["bind"].dispose()
    assert listed == {
        f"{PUBLIC_URL}/records/{identifier}": format_datestamp(datestamp)
        for identifier, datestamp in live
    }
    assert f"{PUBLIC_URL}/records/cnrs-7001" not in listed  # withdrawn


def test_a_sitemap_page_past_the_last_is_a_404(site):
    assert site.get("/sitemaps/2.xml").status_code == 404


def test_the_home_page_and_landing_pages_name_their_canonical_url(site):
    assert tree(site.get("/")).xpath('//link[@rel="canonical"]/@href') == [f"{PUBLIC_URL}/"]
    landing = tree(site.get("/records/cnrs-6764"))
    assert landing.xpath('//link[@rel="canonical"]/@href') == [f"{PUBLIC_URL}/records/cnrs-6764"]
