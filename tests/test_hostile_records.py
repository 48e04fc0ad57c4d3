"""Whatever a record holds, no rendering that fails its XSD is stored or served.

The fast paths never look at a rendering twice: renderings are written as text at
write time, checked once, stored, and served as the stored bytes joined into the
envelope.  Records holding what breaks naive XML writers (markup, entity text, the
end of a CDATA section, astral characters, bidi controls, line separators, characters
XML 1.0 forbids, a value of 20,000 characters, odd language tags) go through both:
from the store's own entry (``prepare``) and from a partner's page mapped on worker
processes.  Everything stored is checked against its format's XSD, and every answer
the provider gives over them against OAI-PMH's.
"""

from __future__ import annotations

import dataclasses

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue import store
from catalogue.model import Credit, Keyframe, Person, Record, Text
from catalogue.tables import QuarantinedRecord, RecordRow, Rendering
from harvester.parallel import POOL_THRESHOLD
from ingest import prepare
from mappings import ebucore_in, formats
from mappings.formats import FORMATS, render
from mappings.publication import Publication
from navette.app import close_app
from protocol.namespaces import OAI
from schemas import validators
from tests.conftest import SHARED, requires_schemas
from tests.harvest.helpers import run
from tests.harvest.partner import PartnerRecord, dc_metadata
from tests.oai.helpers import check, make_app
from tests.ordinary_ebucore import rewrite_document

pytestmark = requires_schemas

#: Values that break XML written by hand, each legal in XML 1.0.
LEGAL = [
    "]]>",
    "<script>alert(1)</script>",
    "&amp; &lt; &#38; &unknown;",
    "\"double\" and 'single'",
    "\t tab\nnewline\r\nand return",
    "  leading and trailing  ",
    "𝕟𝕒𝕧𝕖𝕥𝕥𝕖 🎬 𠜎 ⿰",
    "e\u0301 combining, \u00a0nbsp",
    "\u202eright-to-left override\u202c",
    "line\u2028separator\u2029paragraph",
    "next\u0085line",
    "\ufeffbyte order mark",
    "--><!-- -->",
    "<?xml version='1.0'?><!DOCTYPE x>",
    " ",
    "",
    "0",
    "x" * 20_000,
]
#: Values XML 1.0 cannot carry: the record is refused, with the reason.
FORBIDDEN = ["nul\x00", "\x01control", "not a character \ufffe", "lone \ud800 surrogate"]
#: Local identifiers a catalogue may hold: each is served, listed and got back.
IDENTIFIERS = ["a&b<c>", "film:1/2?x=y#z", "ünïcödé-фильм", "with space", "quote\"'", "%41%2F"]
#: Language tags a catalogue may hold, valid or not for xs:language.
LANGUAGES = ["EN", "x-private", "zh-Hant-TW", "i-klingon", "fr-FR-u-co-phonebk", "", "not a tag"]


def hostile(
    seed: Record, number: int, value: str, lang: str | None = "fr", identifier: str = ""
) -> Record:
    """The seed with ``value`` in every kind of field a writer escapes differently."""
    return dataclasses.replace(
        seed,
        identifier=identifier or f"hostile-{number:03d}",
        titles=[Text(value, lang), *seed.titles],
        alternative_titles=[Text(value, type=value.strip() or None)],
        series=[Text(value)],
        abstracts=[Text(value, lang)],
        descriptions=[Text(value, type="Summary")],
        credits=[
            *seed.credits,
            Credit(value or "Director", person=Person(value or "Name", value, [value])),
            Credit("Producer", organisation=value),
        ],
        laboratory_names={seed.laboratories[0]: value} if seed.laboratories else {},
        notes=[Text(value)],
        rights=[Text(value, type="Copyright")],
        distribution_restriction=value,
        subjects=[Text(value, "en")],
        audiences=[value],
        item_number=value,
        identifiers=[Text(value, type="Local")],
        original_support=value,
        delivery_support=value,
        sources=[value],
        coverage=[Text(value)],
        keyframes=[Keyframe("00:00:01", "https://example.org/a?b=1&c=<2>")],
    )


def hostile_records(seed: Record) -> list[Record]:
    values = [(value, "fr") for value in [*LEGAL, *FORBIDDEN]]
    values += [("Un film", lang) for lang in LANGUAGES]
    records = [hostile(seed, n, value, lang) for n, (value, lang) in enumerate(values)]
    return records + [hostile(seed, 0, "Un film", identifier=i) for i in IDENTIFIERS]


def _stored_renderings(sessions) -> list[tuple[str, str, str]]:
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.identifier, Rendering.prefix, Rendering.xml).join(
                Rendering, Rendering.record_id == RecordRow.id
            )
        )
        return [tuple(row) for row in rows]


def _invalid_renderings(sessions) -> list[str]:
    invalid = []
    for identifier, prefix, xml in _stored_renderings(sessions):
        problems = validators.quick_problems(etree.fromstring(xml.encode()), FORMATS[prefix].schema)
        if problems:
            invalid.append(f"{identifier} {prefix}: {problems[0]}")
    return invalid


def _answers(client, arguments: dict[str, str]):
    """Every page of a list request, each checked against the official schemas."""
    while True:
        # Closed as a WSGI server closes it once sent: the next page is read ahead then.
        with client.get("/oai", query_string=arguments) as response:
            root = check(response)
        yield root
        token = root.find(f".//{{{OAI}}}resumptionToken")
        if token is None or not (token.text or "").strip():
            return
        arguments = {"verb": arguments["verb"], "resumptionToken": token.text.strip()}


def _everything_served(database_url: str, read_ahead: bool = False) -> dict[str, int]:
    """Walk every list in every format and get every record in every format it has;
    each answer is checked on the way, and each record and header listed must be the
    one GetRecord gives (two paths write them).  Returns the records listed per format."""
    app = make_app(database_url, page_size=7, identifiers_page_size=9, read_ahead=read_ahead)
    client = app.test_client()
    listed = {}
    try:
        for prefix in FORMATS:
            arguments = {"verb": "ListRecords", "metadataPrefix": prefix}
            records = [
                etree.tostring(record, with_tail=False)
                for page in _answers(client, arguments)
                for record in page.iter(f"{{{OAI}}}record")
            ]
            listed[prefix] = len(records)
            headers = [
                etree.tostring(header, with_tail=False)
                for page in _answers(client, {"verb": "ListIdentifiers", "metadataPrefix": prefix})
                for header in page.iter(f"{{{OAI}}}header")
            ]
            assert len(headers) == len(records)
            for header, record in zip(headers, records, strict=True):
                identifier = etree.fromstring(header).findtext(f"{{{OAI}}}identifier")
                got = check(
                    client.get(
                        "/oai",
                        query_string={
                            "verb": "GetRecord",
                            "identifier": identifier,
                            "metadataPrefix": prefix,
                        },
                    )
                )
                record_got = got.find(f".//{{{OAI}}}record")
                assert etree.tostring(record_got, with_tail=False) == record
                assert etree.tostring(record_got[0], with_tail=False) == header
    finally:
        close_app(app)
    return listed


# --- from the store's own entry ---------------------------------------------------------


def test_a_record_xml_cannot_carry_is_refused_with_the_reason(seed_record):
    for number, value in enumerate(FORBIDDEN):
        with pytest.raises(prepare.RecordRefused, match=r"not well-formed|codec|invalid"):
            prepare.prepare(hostile(seed_record, number, value))


#: A site and a default rights statement, so that every record is rendered in EDM too.
PUBLISHED = Publication(
    site_url="https://films.example.org",
    default_rights="http://rightsstatements.org/vocab/InC/1.0/",
)


def test_an_identifier_xml_cannot_carry_is_refused_with_the_reason(seed_record):
    record = hostile(seed_record, 0, "Un film", identifier="film\x01one")
    with pytest.raises(prepare.RecordRefused, match=r"identifier .* XML cannot carry"):
        prepare.prepare(record)


@pytest.mark.parametrize("spec", ["odd&spec<1>", "two words", "trailing:", "line\n", ""])
def test_a_set_spec_oai_pmh_cannot_carry_is_refused_with_the_reason(seed_record, spec):
    record = dataclasses.replace(seed_record, sets=[spec])
    with pytest.raises(prepare.RecordRefused, match=r"is not an OAI-PMH setSpec"):
        prepare.prepare(record)


@pytest.fixture
def stored_hostile(sessions, seed_record) -> int:
    """The hostile records the store accepts, stored; how many."""
    written = []
    for record in hostile_records(seed_record):
        try:
            written.append(prepare.prepare(record, publication=PUBLISHED))
        except prepare.RecordRefused as refusal:
            assert str(refusal).strip()
    with sessions.begin() as session:
        store.save(session, written)
        # A deleted record is listed too, as a header with its status.
        store.delete_record(session, written[0].identifier)
    return len(written)


def test_hostile_records_xml_can_carry_are_stored(stored_hostile):
    # Every legal value and identifier is kept; of the language tags only "not a tag"
    # is refused.
    assert stored_hostile == len(LEGAL) + len(LANGUAGES) - 1 + len(IDENTIFIERS)


def test_every_rendering_stored_from_hostile_records_validates(sessions, stored_hostile):
    assert _invalid_renderings(sessions) == []


@pytest.mark.parametrize("read_ahead", [False, True], ids=["read-when-asked", "read-ahead"])
def test_every_answer_over_hostile_records_validates(database_url, stored_hostile, read_ahead):
    listed = _everything_served(database_url, read_ahead)
    assert set(listed.values()) == {stored_hostile}


def test_a_writer_that_fails_costs_the_record_that_format_only(seed_record, monkeypatch):
    def broken(record, publication):
        raise KeyError("a crosswalk bug")

    mods = dataclasses.replace(FORMATS["mods"], write=broken)
    monkeypatch.setitem(formats.FORMATS, "mods", mods)
    written = prepare.prepare(seed_record)
    assert "mods" not in written.renderings
    assert "KeyError" in written.withheld["mods"]
    assert "bug in Navette" in written.withheld["mods"]
    assert {"oai_dc", "ebucore", "marcxml"} <= set(written.renderings)


# --- from a partner's page, mapped on worker processes ----------------------------------

EBUCORE_EXAMPLES = SHARED / "examples" / "fidelity" / "ebucore"


def _with_prefix(ebucore: str, prefix: str) -> str:
    """The same document with its EBUCore namespace under another prefix."""
    return (
        ebucore.replace("<ebucore:", f"<{prefix}:")
        .replace("</ebucore:", f"</{prefix}:")
        .replace("xmlns:ebucore=", f"xmlns:{prefix}=")
    )


def _partner_metadata(seed: Record) -> list[str]:
    """EBUCore and oai_dc documents as partners write them: hostile values, CDATA,
    comments and processing instructions inside text, character references, another
    namespace prefix, other tools' documents (some of which EBUCore's XSD refuses)."""
    documents = [render(record, "ebucore") for record in hostile_records(seed)[: len(LEGAL)]]
    documents = [_with_prefix(doc, "e") if n % 2 else doc for n, doc in enumerate(documents)]
    title = "<dc:title>Mars Express</dc:title>"
    base = render(seed, "ebucore")
    for replacement in (
        "<dc:title><![CDATA[<b>bold</b> & ]]]]><![CDATA[> end]]></dc:title>",
        "<dc:title>Half<!-- a comment -->title<?navette a processing instruction?></dc:title>",
        "<dc:title>&#x1F3AC; &#233;t&#xE9; &#13; &#x2028;</dc:title>",
        '<dc:title xml:lang="EN-gb">  spaced\n\n  out  </dc:title>',
    ):
        if title in base:
            documents.append(base.replace(title, replacement, 1))
    dc = [
        dc_metadata("<script>alert(1)</script> ]]> &amp;"),
        dc_metadata("javascript", "<dc:identifier>javascript:alert(1)</dc:identifier>"),
        dc_metadata("Many subjects", "".join(f"<dc:subject>s{n}</dc:subject>" for n in range(500))),
        dc_metadata("Language", "<dc:language>not a tag</dc:language>"),
        dc_metadata("Private language", '<dc:title xml:lang="x-y">t</dc:title>'),
    ]
    real = []
    if EBUCORE_EXAMPLES.is_dir():
        for path in sorted(EBUCORE_EXAMPLES.glob("*.xml")):
            real.append(_without_declaration(path.read_text(encoding="utf-8")))
    return documents + dc + real


def _without_declaration(document: str) -> str:
    return document.split("?>", 1)[1] if document.startswith("<?xml") else document


def _feed(seed: Record) -> list[PartnerRecord]:
    documents = _partner_metadata(seed)
    # Enough records on one page for the worker processes to map it.
    while len(documents) <= POOL_THRESHOLD:
        documents.append(render(dataclasses.replace(seed, identifier="filler"), "ebucore"))
    return [
        PartnerRecord(
            identifier=f"oai:partner.example.org:{n:03d}",
            datestamp=f"2024-05-01T{n // 60:02d}:{n % 60:02d}:00Z",
            metadata=document,
        )
        for n, document in enumerate(documents)
    ]


def test_hostile_partner_records_are_stored_valid_or_quarantined_with_a_reason(
    sessions, database_url, partners, seed_record
):
    feed = _feed(seed_record)
    partner = partners(feed, page_size=len(feed), formats=("ebucore", "oai_dc"))
    report = run(sessions, partner, workers=2)
    assert report.status == "rejects", report.message
    with sessions() as session:
        stored = session.scalar(select(RecordRow.id).limit(1))
        reasons = list(session.scalars(select(QuarantinedRecord.reason)))
    assert stored is not None
    assert report.counts["new"] + report.counts["rejected"] == len(feed)
    assert all(reason.strip() for reason in reasons)
    assert _invalid_renderings(sessions) == []
    listed = _everything_served(database_url)
    assert listed["oai_dc"] == report.counts["new"]


def test_a_reader_that_fails_costs_the_partner_that_record_only(
    sessions, partners, seed_record, monkeypatch
):
    def broken(element, identifier=None):
        raise AttributeError("a crosswalk bug")

    monkeypatch.setattr(ebucore_in, "from_ebucore", broken)
    documents = [dc_metadata("A film"), render(seed_record, "ebucore")]
    feed = [
        PartnerRecord(f"oai:partner.example.org:{n}", f"2024-05-01T00:0{n}:00Z", metadata=document)
        for n, document in enumerate(documents)
    ]
    report = run(sessions, partners(feed, page_size=5), workers=1)
    assert (report.counts["new"], report.counts["rejected"]) == (1, 1)
    with sessions() as session:
        reason = session.scalar(select(QuarantinedRecord.reason))
    assert "AttributeError" in reason and "bug in Navette" in reason


# --- written the ordinary way, read through ebucore_readings on worker processes --------


def _dc_statements(xml: str) -> dict[str, list[str]]:
    """What a simple DC rendering states: each element's values in their order (the
    order between elements means nothing in DC)."""
    stated: dict[str, list[str]] = {}
    for element in etree.fromstring(xml.encode()):
        stated.setdefault(etree.QName(element).localname, []).append(element.text or "")
    return stated


def test_hostile_records_written_the_ordinary_way_say_what_navette_s_own_say(
    sessions, database_url, partners, seed_record
):
    # Each hostile record twice on one page, mapped by the workers: in Navette's own
    # EBUCore, and as other tools write it (a title labelled "main", roles by their EBU
    # link, acronyms, identifiers labelled by format), which Navette keeps verbatim and
    # understands once per record for every format it derives.
    every = hostile_records(seed_record)
    records = every[: len(LEGAL)] + every[len(LEGAL) + len(FORBIDDEN) :]
    feed = []
    for n, record in enumerate(records):
        own = render(record, "ebucore")
        for way, document in (("own", own), ("ordinary", rewrite_document(own))):
            feed.append(
                PartnerRecord(
                    identifier=f"oai:partner.example.org:{way}-{n:03d}",
                    datestamp=f"2024-05-01T00:{n:02d}:00Z",
                    metadata=document,
                )
            )
    assert len(feed) > POOL_THRESHOLD
    report = run(sessions, partners(feed, page_size=len(feed)), workers=2)
    assert report.counts["new"] + report.counts["rejected"] == len(feed), report.message
    assert _invalid_renderings(sessions) == []
    dc = {
        identifier.rsplit(":", 1)[1]: xml
        for identifier, prefix, xml in _stored_renderings(sessions)
        if prefix == "oai_dc"
    }
    pairs = {identifier.split("-", 1)[1] for identifier in dc}
    assert len(pairs) >= len(records) - 2, report.message
    for number in sorted(pairs):
        own, ordinary = dc.get(f"own-{number}"), dc.get(f"ordinary-{number}")
        assert own is not None and ordinary is not None, number
        assert _dc_statements(ordinary) == _dc_statements(own), number
    listed = _everything_served(database_url)
    assert listed["oai_dc"] == report.counts["new"]
