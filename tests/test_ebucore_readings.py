"""EBUCore written the ordinary way, as partners and tools write it, is understood: its
titles, agents, subjects and identifiers reach the oai_dc Navette serves and the sets,
while the EBUCore itself comes back whole.

Documents here are written in the styles found in the wild (labels in other cases, roles
by MARC relator code or link, extra attributes), then EBU's own examples, then generated
ones (hypothesis).
"""

from __future__ import annotations

import copy
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.prepare import prepare
from mappings.dc_out import to_oai_dc
from mappings.ebucore_in import from_ebucore, normalise_namespace
from mappings.ebucore_out import to_ebucore
from mappings.ebucore_readings import understood
from protocol.namespaces import DC, EBUCORE
from schemas import validators
from tests.conftest import EBU_EXAMPLES, SHARED, core_facts, requires_schemas

pytestmark = requires_schemas

E, D = "{%s}" % EBUCORE, "{%s}" % DC
CORE = E + "coreMetadata"


def document(*elements: str) -> etree._Element:
    return etree.fromstring(
        f'<ebucore:ebuCoreMain xmlns:ebucore="{EBUCORE}" xmlns:dc="{DC}">'
        f"<ebucore:coreMetadata>{''.join(elements)}</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )


def dc_values(root: etree._Element) -> dict[str, list[str]]:
    served = to_oai_dc(from_ebucore(root, "x"))
    values: dict[str, list[str]] = {}
    for element in served:
        values.setdefault(etree.QName(element).localname, []).append(element.text)
    return values


ORDINARY = document(
    '<ebucore:title typeLabel="main"><dc:title xml:lang="en">Mars Express Mission</dc:title>'
    "</ebucore:title>",
    '<ebucore:alternativeTitle typeLabel="SERIES"><dc:title>Facing the Universe</dc:title>'
    "</ebucore:alternativeTitle>",
    "<ebucore:creator><ebucore:contactDetails><ebucore:givenName>Nicolas</ebucore:givenName>"
    "<ebucore:familyName>MIFSUD</ebucore:familyName></ebucore:contactDetails>"
    '<ebucore:role typeLabel="director" '
    'typeLink="http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml#20.20"/></ebucore:creator>',
    "<ebucore:contributor><ebucore:organisationDetails>"
    '<ebucore:organisationName typeLabel="acronym">CNRS Images</ebucore:organisationName>'
    '</ebucore:organisationDetails><ebucore:role typeLink="http://id.loc.gov/vocabulary/'
    'relators/pro"/></ebucore:contributor>',
    "<ebucore:publisher><ebucore:contactDetails><ebucore:name>Jean Dupont</ebucore:name>"
    '</ebucore:contactDetails><ebucore:role typeLabel="PBL"/></ebucore:publisher>',
    '<ebucore:subject typeLabel="keyword"><dc:subject xml:lang="en">Space Sciences'
    "</dc:subject></ebucore:subject>",
    '<ebucore:description typeLabel="Summary"><dc:description>After the Russian mission'
    "</dc:description></ebucore:description>",
    '<ebucore:identifier typeLabel="item no." formatLabel="local"><dc:identifier>6764'
    "</dc:identifier></ebucore:identifier>",
)


def test_the_ordinary_style_is_valid_ebucore():
    assert validators.quick_problems(ORDINARY, "ebucore") == []


def test_its_titles_agents_subjects_and_identifiers_reach_oai_dc():
    values = dc_values(ORDINARY)
    assert values["title"] == ["Mars Express Mission"]
    assert values["creator"] == ["MIFSUD, Nicolas"]
    assert values["contributor"] == ["CNRS Images"]
    assert values["publisher"] == ["Jean Dupont"]
    assert values["subject"] == ["Space Sciences"]
    assert values["identifier"] == ["6764"]
    assert values["description"] == ["After the Russian mission"]
    assert "Facing the Universe" in values["relation"]


def test_a_person_credited_by_a_role_link_alone_keeps_their_laboratories():
    # Kept verbatim (Navette writes a label beside the link), read through the readings:
    # before, the person reached oai_dc without the laboratory they worked in.
    root = document(
        "<ebucore:title><dc:title>Mars Express Mission</dc:title></ebucore:title>",
        "<ebucore:contributor><ebucore:contactDetails>"
        "<ebucore:givenName>Jean-Pierre</ebucore:givenName>"
        "<ebucore:familyName>BIBRING</ebucore:familyName><ebucore:affiliation>"
        "<ebucore:organisation><ebucore:organisationName>IAS</ebucore:organisationName>"
        "</ebucore:organisation><ebucore:period/></ebucore:affiliation>"
        '</ebucore:contactDetails><ebucore:role typeLink="http://www.ebu.ch/metadata/cs/'
        'ebu_RoleCodeCS.xml#20.20"/></ebucore:contributor>',
    )
    assert validators.quick_problems(root, "ebucore") == []
    assert dc_values(root)["contributor"] == ["BIBRING, Jean-Pierre (IAS)"]


def test_texts_read_as_written_whatever_shape_states_them():
    # A title labelled "main" is kept verbatim and read by the readings; in Navette's
    # own shape, by its reader: both keep the spaces the source wrote.
    for label in ("", ' typeLabel="main"'):
        root = document(f"<ebucore:title{label}><dc:title>  Mars\n</dc:title></ebucore:title>")
        assert dc_values(root)["title"] == ["  Mars\n"]


def test_it_comes_back_whole_in_ebucore():
    exported = to_ebucore(from_ebucore(ORDINARY, "x"))
    assert core_facts(ORDINARY.find(CORE)) - core_facts(exported.find(CORE)) == Counter()


def test_its_series_and_subject_make_its_sets():
    sets = prepare(from_ebucore(ORDINARY, "x"), check=False).sets
    assert "series:facing-the-universe" in sets and "subject:space-sciences" in sets


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ('typeLabel="Director"', "Director"),
        ('typeLabel="DIRECTOR"', "Director"),
        ('typeLabel="drt"', "Director"),
        ('typeLink="http://id.loc.gov/vocabulary/relators/drt"', "Director"),
        ('typeLink="http://id.loc.gov/vocabulary/relators/pro"', "Producer"),
        ('typeLabel="Narrateur"', "Narrateur"),
    ],
)
def test_a_role_is_read_by_label_or_relator_in_any_case(role, expected):
    from mappings.ebucore_readings import understood

    root = document(
        "<ebucore:creator><ebucore:contactDetails><ebucore:familyName>MIFSUD"
        f"</ebucore:familyName></ebucore:contactDetails><ebucore:role {role}/>"
        "</ebucore:creator>"
    )
    [credit] = understood(from_ebucore(root, "x")).credits
    assert credit.role == expected


EXAMPLES = sorted(
    p
    for folder in (EBU_EXAMPLES, SHARED / "examples" / "fidelity" / "ebucore")
    if folder.is_dir()
    for p in folder.glob("*.xml")
)


@pytest.mark.skipif(not EXAMPLES, reason="no EBUCore examples in ../shared/examples")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_a_real_documents_titles_agents_subjects_and_identifiers_reach_oai_dc(path):
    root = normalise_namespace(etree.parse(str(path)).getroot())
    if validators.quick_problems(root, "ebucore"):
        pytest.skip(f"{path.name} is not valid EBUCore 1.10 (SOURCES.md)")
    core = root.find(CORE)
    wanted = []
    for element, dc in (("title", "title"), ("subject", "subject"), ("identifier", "identifier")):
        for holder in core.findall(E + element):
            wanted += [t.text.strip() for t in holder.iter(D + dc) if (t.text or "").strip()]
    for kind in ("creator", "contributor", "publisher"):
        for agent in core.findall(E + kind):
            names = [
                n.text.strip()
                for n in agent.iter(E + "organisationName", E + "familyName", E + "name")
                if (n.text or "").strip()
            ]
            wanted += names[:1]
    served = " | ".join(v or "" for values in dc_values(root).values() for v in values)
    assert [value for value in wanted if value not in served] == []


# --- generated documents -----------------------------------------------------------

words = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGH", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
title_labels = st.sampled_from([None, "main", "MAIN", "Main title", "original"])
roles = st.sampled_from(
    [
        'typeLabel="Director"',
        'typeLabel="director"',
        'typeLabel="PRODUCER"',
        'typeLink="http://id.loc.gov/vocabulary/relators/drt"',
        'typeLabel="Director" typeLink="http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml#20.20"',
    ]
)
item_labels = st.sampled_from(["Item No.", "item no.", "ITEM NUMBER", "Item No."])
acronym = st.sampled_from(["", ' typeLabel="acronym"'])
extra = st.sampled_from(["", ' typeDefinition="as catalogued"', ' typeLink="http://x.org/t"'])


@st.composite
def ordinary_documents(draw) -> tuple[etree._Element, dict[str, str]]:
    chosen = {
        "title": draw(words),
        "agent": draw(words),
        "subject": draw(words),
        "identifier": draw(words),
    }
    label = draw(title_labels)
    title_label = f' typeLabel="{label}"' if label else ""
    root = document(
        f"<ebucore:title{title_label}{draw(extra)}><dc:title>{chosen['title']}</dc:title>"
        "</ebucore:title>",
        f"<ebucore:creator><ebucore:organisationDetails><ebucore:organisationName"
        f"{draw(acronym)}>{chosen['agent']}"
        f"</ebucore:organisationName></ebucore:organisationDetails><ebucore:role "
        f"{draw(roles)}/></ebucore:creator>",
        f"<ebucore:subject{draw(extra)}><dc:subject>{chosen['subject']}</dc:subject>"
        "</ebucore:subject>",
        f'<ebucore:identifier typeLabel="{draw(item_labels)}"{draw(extra)}><dc:identifier>'
        f"{chosen['identifier']}</dc:identifier></ebucore:identifier>",
    )
    return root, chosen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ordinary_documents())
def test_generated_ordinary_documents_are_kept_whole_and_understood(case):
    root, chosen = case
    assert validators.quick_problems(root, "ebucore") == []
    record = from_ebucore(root, "x")
    again = from_ebucore(to_ebucore(record), "x")
    assert core_facts(to_ebucore(again).find(CORE)) == core_facts(to_ebucore(record).find(CORE))
    assert core_facts(root.find(CORE)) - core_facts(to_ebucore(record).find(CORE)) == Counter()
    values = dc_values(root)
    assert values["title"] == [chosen["title"]]
    assert values["creator"] == [chosen["agent"]]
    assert values["subject"] == [chosen["subject"]]
    assert chosen["identifier"] in values["identifier"]


def test_reading_a_record_leaves_the_record_as_it_came():
    record = from_ebucore(ORDINARY, "x")
    before = copy.deepcopy(record)
    understood(record)
    assert record == before


def test_the_writers_of_one_record_share_one_reading():
    record = from_ebucore(ORDINARY, "x")
    assert understood(record) is understood(record)
    assert understood(from_ebucore(ORDINARY, "x")) is not understood(record)


def test_what_the_verbatim_ebucore_says_counts_for_search_and_facets():
    written = prepare(from_ebucore(ORDINARY, "x"))
    assert ("subject", "Space Sciences", "en") in written.facets
    assert "space scienc" in written.searchable["search_text"]
