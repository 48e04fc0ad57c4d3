"""oai_dc in is oai_dc out: records from DSpace, CKAN, SHARE and Sickle's samples, imported
and served again, keep every dc:* element with its xml:lang, and gain nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue.tables import Rendering
from ingest.importing import import_paths
from mappings.dc_in import from_oai_dc
from mappings.dc_out import to_oai_dc
from protocol.namespaces import XML_LANG
from schemas import validators
from tests.conftest import SHARED, requires_schemas

pytestmark = requires_schemas

FOLDER = SHARED / "examples" / "fidelity" / "oai_dc"
DOCUMENTS = sorted(FOLDER.glob("*.xml")) if FOLDER.is_dir() else []
OAI_DC_ROOT = (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">{}</oai_dc:dc>'
)


def elements(root: etree._Element) -> Counter:
    """Each dc:* element as (name, xml:lang, text)."""
    return Counter(
        (etree.QName(e).localname, e.get(XML_LANG), (e.text or "").strip())
        for e in root.iterchildren(etree.Element)
    )


@pytest.mark.skipif(not DOCUMENTS, reason=f"no oai_dc examples in {FOLDER}")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_a_real_oai_dc_record_comes_back_as_it_came(path: Path, sqlite_sessions):
    report = import_paths(sqlite_sessions, [path])
    if validators.quick_problems(etree.parse(str(path)).getroot(), "oai_dc"):
        [rejected] = report.rejected  # Sickle's sample has stray text: invalid, refused
        assert rejected.reason.startswith("not valid oai_dc: ")
        return
    assert report.ok and report.counts["new"] == 1, report.rejected
    with sqlite_sessions() as session:
        served = session.scalar(select(Rendering.xml).where(Rendering.prefix == "oai_dc"))
    assert elements(etree.fromstring(served)) == elements(etree.parse(str(path)).getroot())


def _dc(body: str) -> etree._Element:
    return etree.fromstring(OAI_DC_ROOT.format(body))


def test_a_text_is_not_called_a_moving_image():
    served = to_oai_dc(
        from_oai_dc(_dc("<dc:title>A thesis</dc:title><dc:type>Text</dc:type>"), "t")
    )
    assert [e.text for e in served.iterfind("{*}type")] == ["Text"]


def test_a_record_that_says_nothing_of_its_type_gets_none():
    served = to_oai_dc(from_oai_dc(_dc("<dc:title>Something</dc:title>"), "t"))
    assert served.find("{*}type") is None


def test_a_video_format_alone_makes_no_moving_image():
    record = from_oai_dc(_dc("<dc:title>A film</dc:title><dc:format>HD</dc:format>"), "t")
    assert record.resource_type is None and record.definition is None
    served = to_oai_dc(record)
    assert [e.text for e in served.iterfind("{*}type")] == []
    assert [e.text for e in served.iterfind("{*}format")] == ["HD"]


def test_a_stated_moving_image_is_served_once(seed_record):
    record = from_oai_dc(_dc("<dc:title>A film</dc:title><dc:type>MovingImage</dc:type>"), "t")
    assert [e.text for e in to_oai_dc(record).iterfind("{*}type")] == ["MovingImage"]
    assert to_oai_dc(seed_record).findtext("{*}type") == "MovingImage"


def test_formats_the_model_cannot_type_are_kept_as_formats_with_their_language():
    record = from_oai_dc(
        _dc(
            "<dc:title>A report</dc:title><dc:format>application/pdf</dc:format>"
            '<dc:format xml:lang="en">48 pages</dc:format>'
        ),
        "t",
    )
    served = elements(to_oai_dc(record))
    assert served[("format", None, "application/pdf")] == 1
    assert served[("format", "en", "48 pages")] == 1
    assert not [e for e in served if e[0] == "description"]
