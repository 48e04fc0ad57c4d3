"""The rights statement URI and the landing page, said alike in every format and read back."""

from __future__ import annotations

import pytest

from mappings.ebucore_in import from_ebucore
from mappings.publication import Publication
from tests.conftest import requires_schemas
from tests.formats.conftest import LANDING, PUBLICATION, RIGHTS

pytestmark = requires_schemas

NS = {"e": "urn:ebu:metadata-schema:ebucore", "dc": "http://purl.org/dc/elements/1.1/"}


def test_ebucore_links_the_rights_statement(seed_in):
    ebucore = seed_in("ebucore")
    assert ebucore.xpath("//e:rights/@typeLink", namespaces=NS) == [RIGHTS]
    assert ebucore.xpath("//e:rights/e:rightsLink/text()", namespaces=NS) == [RIGHTS]


def test_ebucore_and_dc_name_the_landing_page(seed_in):
    landing = "//e:identifier[@typeLabel='Landing page']/dc:identifier/text()"
    assert seed_in("ebucore").xpath(landing, namespaces=NS) == [LANDING]
    assert LANDING in seed_in("oai_dc").xpath("//dc:identifier/text()", namespaces=NS)
    assert RIGHTS in seed_in("oai_dc").xpath("//dc:rights/text()", namespaces=NS)


def test_the_rights_statement_is_read_back_from_ebucore(seed_in):
    record = from_ebucore(seed_in("ebucore"), "cnrs-6764")
    assert record.rights_uri == RIGHTS and record.extra_xml == []


def test_a_record_keeps_its_own_rights_and_landing_page(seed_record):
    seed_record.rights_uri = "http://creativecommons.org/licenses/by-nc/4.0/"
    seed_record.landing_page = "https://videotheque.example.org/doc=6764"
    published = PUBLICATION.apply(seed_record)
    assert (published.rights_uri, published.landing_page) == (
        "http://creativecommons.org/licenses/by-nc/4.0/",
        "https://videotheque.example.org/doc=6764",
    )


@pytest.mark.parametrize("identifier", ["cnrs-6764", "partner:oai:x.org:a/b c"])
def test_a_landing_page_url_escapes_the_whole_identifier(identifier):
    url = Publication("https://films.example.org").landing_page(identifier)
    assert url.startswith("https://films.example.org/records/")
    assert "/" not in url.removeprefix("https://films.example.org/records/")
    assert " " not in url and ":" not in url.removeprefix("https:")


def test_without_a_public_url_no_landing_page_is_invented(seed_record):
    assert Publication().apply(seed_record).landing_page is None
