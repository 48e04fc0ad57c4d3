"""The page read: which records a list in a format holds, and the headers it writes
for them, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta
from xml.sax.saxutils import escape as sax_escape

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from catalogue import store
from mappings import xmltext
from mappings.formats import render_all
from oai import repository, responses
from protocol.namespaces import OAI
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, T0, oai_id, walk


def _write_in(catalogue, identifier: str, at: datetime, prefixes: set[str]) -> None:
    """A record stored with renderings in ``prefixes`` only (as a partner's record
    that maps to fewer formats is)."""
    record = dataclasses.replace(catalogue.template, identifier=identifier)
    renderings = {p: xml for p, xml in render_all(record).items() if p in prefixes}
    with catalogue.sessions.begin() as session:
        store.save(session, [store.Written(record, renderings)], now=at)


@requires_schemas
def test_a_list_in_a_format_holds_only_the_records_rendered_in_it(client, catalogue):
    _write_in(catalogue, "film-dc-only", T0, {"oai_dc"})
    _write_in(catalogue, "film-both", T0 + timedelta(minutes=1), {"oai_dc", "ebucore"})
    in_ebucore, _ = walk(client, "ListIdentifiers", metadataPrefix="ebucore")
    in_oai_dc, _ = walk(client, "ListIdentifiers", metadataPrefix="oai_dc")
    assert in_ebucore == [oai_id("film-both")]
    assert in_oai_dc == [oai_id("film-dc-only"), oai_id("film-both")]


def test_a_prefix_is_matched_as_a_whole_word_not_inside_another(catalogue):
    _write_in(catalogue, "film-dc", T0, {"oai_dc"})
    end = T0 + timedelta(days=1)
    with catalogue.sessions() as session:
        for prefix in ("dc", "oai", "oai_d", "ai_dc", "oai-dc", "oai%dc"):
            window = repository.Window(prefix, None, None, end)
            assert repository.page(session, window, None, 10, with_metadata=False) == []
        window = repository.Window("oai_dc", None, None, end)
        assert [i.identifier for i in repository.page(session, window, None, 10, False)] == [
            "film-dc"
        ]


@requires_schemas
def test_a_deleted_record_is_listed_in_every_format(client, catalogue):
    _write_in(catalogue, "film-gone", T0, {"oai_dc"})
    catalogue.delete("film-gone", T0 + timedelta(minutes=5))
    listed, pages = walk(client, "ListRecords", metadataPrefix="ebucore")
    assert listed == [oai_id("film-gone")]
    header = pages[0].find(".//oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    assert pages[0].find(".//oai:record/oai:metadata", NS) is None


@requires_schemas
def test_every_set_spec_of_a_record_is_in_its_list_header(client, ten_films):
    _, pages = walk(client, "ListRecords", metadataPrefix="oai_dc")
    for header in (h for page in pages for h in page.iterfind(".//oai:header", NS)):
        specs = [s.text for s in header.iterfind("oai:setSpec", NS)]
        assert {"series", "subject", "archive"} <= set(specs), specs


@given(st.text())
def test_escape_gives_what_escaping_the_cleaned_text_gives(text):
    assert responses.escape(text) == sax_escape(xmltext.clean(text))


def _header_bytes(client, **arguments) -> bytes:
    body = client.get("/oai", query_string=arguments).data
    return re.search(rb"<header.*?</header>", body, re.DOTALL).group(0)


def test_markup_in_an_identifier_is_escaped_alike_in_every_header(client, catalogue):
    """A record's header is the same, byte for byte, in every verb."""
    record = dataclasses.replace(catalogue.template, identifier="film&<1>")
    specs = {"a-b": "A", "c:d.e": "C", "plain": "P"}
    with catalogue.sessions.begin() as session:
        store.save(session, [store.Written(record, render_all(record), sets=specs)], now=T0)
    headers = [
        _header_bytes(client, verb="ListIdentifiers", metadataPrefix="oai_dc"),
        _header_bytes(client, verb="ListRecords", metadataPrefix="oai_dc"),
        _header_bytes(
            client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id("film&<1>")
        ),
    ]
    assert headers[0] == headers[1] == headers[2]
    header = etree.fromstring(headers[0].replace(b"<header>", f'<header xmlns="{OAI}">'.encode()))
    assert header.findtext("oai:identifier", namespaces=NS) == oai_id("film&<1>")
    assert [s.text for s in header.iterfind("oai:setSpec", NS)] == sorted(specs)


#: A set spec as a record may carry it: any text without whitespace.
_SPECS = st.lists(st.text(min_size=1).filter(lambda spec: spec.split() == [spec]), min_size=1)


@given(_SPECS)
def test_the_set_specs_of_a_header_are_each_stored_spec_escaped(specs):
    written = responses.set_specs_xml(" ".join(specs))
    assert written == "".join(f"<setSpec>{responses.escape(s)}</setSpec>" for s in specs)
