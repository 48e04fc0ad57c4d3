"""A record's landing page: the seed's data sheet, its JSON-LD and its Signposting links."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from lxml import etree, html

from catalogue import store
from catalogue.database import open_store
from catalogue.model import Text
from ingest.prepare import prepare
from mappings.publication import Publication
from pages.jsonld import json_ld, script_text
from protocol.namespaces import DC, OAI
from tests.conftest import requires_schemas
from tests.pages.conftest import PUBLIC_URL, RIGHTS

pytestmark = [pytest.mark.store, requires_schemas]

SEED_PAGE = "/records/cnrs-6764"
#: What the seed's data sheet shows (../shared/seed), as the page must show it.
SEED_FIELDS = [
    "Mars Express Mission",
    "Facing the Universe, a Dive into Space Research",
    "00:09:52",
    "2019",
    "HD 16/9",
    "Color",
    "Sound",
    "After the Russian",
    "Six on-board instruments",
    "CNRS Images",
    "MIFSUD Nicolas",
    "Prises de vues réelles",
    "Commentaire en voix-off",
    "BIBRING Jean-Pierre (IAS, UMR CNRS, Univ. Paris-Sud, CNES)",
    "DORESSOUNDIRAM Alain (LESIA, UMR CNRS, Oberservatoire de Paris",
    "OLLIVIER Marc",
    "LEBLANC François",
    "IAS : Institut d’astrophysique spatiale (INSU)",
    "CNES : Centre National d’Études Spatiales",
    "Only available for non-commercial distribution",
    "Space Sciences",
    "6764",
    "Large audience",
    "UMR8617 ; UMR8109 ; UMR8190",
    "Digitalised File",
]


def _text(page) -> str:
    return html.fromstring(page.data).text_content()


def _jsonld(page) -> dict:
    tree = html.fromstring(page.data)
    (script,) = tree.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def test_the_landing_page_shows_every_field_of_the_seed_data_sheet(site):
    page = site.get(SEED_PAGE)
    assert page.status_code == 200
    text = _text(page)
    missing = [field for field in SEED_FIELDS if field not in text]
    assert missing == []


def test_the_abstract_keeps_its_paragraphs_and_the_notes_their_lines(site):
    tree = html.fromstring(site.get(SEED_PAGE).data)
    paragraphs = tree.xpath('//div[@class="abstract"]/p')
    assert [p.text[:20] for p in paragraphs] == ['After the Russian "M', "Six on-board instrum"]
    notes = tree.xpath('//dt[.="Notes"]/following-sibling::dd[1]')[0]
    assert len(notes.findall("br")) == 3


def test_the_json_ld_names_the_film_as_a_video_object(site):
    data = _jsonld(site.get(SEED_PAGE))
    assert data["@context"] == "https://schema.org" and data["@type"] == "VideoObject"
    assert data["url"] == f"{PUBLIC_URL}/records/cnrs-6764"
    assert data["name"] == "Mars Express Mission"
    assert data["description"].startswith("After the Russian")
    assert data["duration"] == "PT9M52S" and data["dateCreated"] == "2019"
    assert data["director"] == [
        {
            "@type": "Person",
            "name": "Nicolas MIFSUD",
            "familyName": "MIFSUD",
            "givenName": "Nicolas",
            "jobTitle": "Director",
        }
    ]
    assert data["producer"] == [{"@type": "Organization", "name": "CNRS Images"}]
    bibring = data["contributor"][0]
    assert bibring["familyName"] == "BIBRING"
    assert [a["name"] for a in bibring["affiliation"]] == [
        "IAS",
        "UMR CNRS",
        "Univ. Paris-Sud",
        "CNES",
    ]
    assert data["isPartOf"] == [
        {"@type": "CreativeWorkSeries", "name": "Facing the Universe, a Dive into Space Research"}
    ]
    assert "6764" in data["identifier"] and "cnrs-6764" in data["identifier"]
    assert data["keywords"] == ["Space Sciences"] and data["license"] == RIGHTS


def test_the_json_ld_names_the_films_iiif_manifest_as_a_work_about_it(site):
    about = _jsonld(site.get(SEED_PAGE))["subjectOf"]
    assert about["url"] == f"{PUBLIC_URL}/records/cnrs-6764/manifest.json"
    assert about["encodingFormat"].endswith(
        'profile="http://iiif.io/api/presentation/3/context.json"'
    )
    assert site.get("/records/cnrs-6764/manifest.json").status_code == 200


def test_the_json_ld_gives_the_storyboard_as_thumbnails_and_the_language(
    site, database_url, catalogue_record
):
    sessions = open_store(database_url)
    with sessions.begin() as session:
        store.save(session, [prepare(catalogue_record, check=False)])
    sessions.kw["bind"].dispose()
    data = _jsonld(site.get(f"/records/{catalogue_record.identifier}"))
    assert data["thumbnailUrl"] and all(u.startswith("https://") for u in data["thumbnailUrl"])
    assert data["inLanguage"]


def test_nothing_a_record_says_can_close_the_json_ld_script(seed_record):
    record = seed_record
    record.titles = [Text("</script><script>alert(1)</script><!--", "en")]
    text = script_text(json_ld(record, "https://x.example/records/a"))
    assert "<" not in text and ">" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script><!--"


def test_signposting_links_cite_the_page_and_describe_it_in_every_format(site):
    links = site.get(SEED_PAGE).headers["Link"]
    assert f'<{PUBLIC_URL}/records/cnrs-6764>; rel="cite-as"' in links
    assert '<https://schema.org/VideoObject>; rel="type"' in links
    described = re.findall(
        r'<([^>]+)>; rel="describedby"; type="text/xml"; profile="([^"]+)"', links
    )
    prefixes = {re.search(r"metadataPrefix=(\w+)", url).group(1) for url, _ in described}
    assert {"oai_dc", "ebucore"} <= prefixes
    assert f'<{RIGHTS}>; rel="license"' in links


def test_every_describedby_link_answers_the_record(site):
    links = site.get(SEED_PAGE).headers["Link"]
    for url in re.findall(r'<([^>]+)>; rel="describedby"', links):
        answer = etree.fromstring(site.get(url.removeprefix("http://localhost")).data)
        assert answer.find(f"{{{OAI}}}GetRecord") is not None, url


def test_the_oai_identifier_redirects_to_the_landing_page(site):
    response = site.get("/records/oai:navette.example.org:cnrs-6764")
    assert response.status_code == 301 and response.headers["Location"] == SEED_PAGE


def test_an_unknown_record_is_not_found_and_a_deleted_one_gone(site):
    assert site.get("/records/no-such-film").status_code == 404
    gone = site.get("/records/cnrs-7001")
    assert gone.status_code == 410 and b"withdrawn" in gone.data


def test_the_landing_page_is_the_oai_dc_identifier_when_the_record_has_none(site):
    answer = site.get(
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:navette.example.org:cnrs-6764"
    )
    identifiers = etree.fromstring(answer.data).findall(f".//{{{DC}}}identifier")
    assert f"{PUBLIC_URL}/records/cnrs-6764" in [i.text for i in identifiers]


def test_a_record_with_its_own_landing_page_keeps_it(site, database_url, seed_record):
    own = replace(seed_record, identifier="own-page", landing_page="https://films.example.net/7")
    sessions = open_store(database_url)
    with sessions.begin() as session:
        store.save(session, [prepare(own, check=False, publication=Publication(PUBLIC_URL))])
    sessions.kw["bind"].dispose()
    answer = site.get(
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:navette.example.org:own-page"
    )
    values = [i.text for i in etree.fromstring(answer.data).findall(f".//{{{DC}}}identifier")]
    assert "https://films.example.net/7" in values
    assert not any(v.startswith(PUBLIC_URL) for v in values)
