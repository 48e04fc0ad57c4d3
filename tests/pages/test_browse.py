"""Browsing like a library catalogue: facets with counts (series, subject, decade and
year, type, language, audience) that combine with the search and with each other, and
the links of a landing page (series, subjects, people, laboratories) that lead to the
catalogue narrowed to them.  On both databases, over the demo catalogue."""

from __future__ import annotations

import re

from lxml import html

from tests.conftest import requires_schemas

pytestmark = requires_schemas


def page_of(site, address: str):
    answer = site.get(address)
    assert answer.status_code == 200, address
    return html.fromstring(answer.data)


def status_count(page) -> int:
    said = page.xpath('//p[@role="status"]')[0].text_content()
    return 0 if said == "No record." else int(re.match(r"(\d+) record", said).group(1))


def facet_links(page, heading: str) -> list[tuple[str, int]]:
    section = page.xpath(f'//aside[@class="facets"]//section[h2="{heading}"]')
    if not section:
        return []
    return [
        (a.get("href"), int(re.search(r"\((\d+)\)", a.getparent().text_content()).group(1)))
        for a in section[0].xpath(".//a")
    ]


def test_each_facet_value_counts_the_records_its_link_lists(site):
    page = page_of(site, "/records")
    for heading in ("Series", "Subject", "Decade", "Type", "Language", "Audience"):
        links = facet_links(page, heading)
        assert links, heading
        for href, count in links[:3]:
            assert status_count(page_of(site, href)) == count, href


def test_facets_count_only_live_records(site):
    (only,) = facet_links(page_of(site, "/records"), "Type")
    assert only[1] == 220  # the demo's 221 films, one withdrawn


def test_facets_combine_with_the_search_and_with_each_other(site):
    searched = page_of(site, "/records?q=space")
    href, count = facet_links(searched, "Decade")[0]
    assert "q=space" in href
    narrowed = page_of(site, href)
    assert status_count(narrowed) == count < status_count(searched)
    year_href, year_count = facet_links(narrowed, "Year")[0]
    assert status_count(page_of(site, year_href)) == year_count <= count


def test_the_year_is_offered_once_a_decade_is_chosen(site):
    assert facet_links(page_of(site, "/records"), "Year") == []
    decade = facet_links(page_of(site, "/records"), "Decade")[0][0]
    assert facet_links(page_of(site, decade), "Year")


def test_a_chosen_facet_can_be_removed(site):
    page = page_of(site, "/records?q=space&subject=Space+Sciences")
    (remove,) = page.xpath('//ul[@class="chosen"]//a/@href')
    assert remove == "/records?q=space"


def test_a_landing_pages_links_lead_to_the_catalogue_narrowed_to_them(site):
    landing = page_of(site, "/records/cnrs-6764")
    links = landing.xpath('//a[starts-with(@href, "/records?")]/@href')
    kinds = {re.match(r"/records\?(\w+)=", href).group(1) for href in links}
    assert kinds == {"series", "subject", "person", "laboratory"}
    for href in links:
        listed = page_of(site, href).xpath("//tbody/tr/td[4]/code/text()")
        assert "cnrs-6764" in listed, href


def test_a_value_no_record_holds_lists_nothing(site):
    assert status_count(page_of(site, "/records?series=No+such+series")) == 0


def test_a_value_longer_than_any_stored_is_a_bad_request(site):
    assert site.get("/records?subject=" + "x" * 300).status_code == 400
