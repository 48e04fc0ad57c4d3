"""Renderings are stored packed and read back byte for byte: every format has its
dictionary, a changed or unknown dictionary is refused in words, and migration 0018
packs what a store held before it (and unpacks it again going down), on both
databases."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select, text, update

from catalogue import packing
from catalogue.database import downgrade, upgrade
from catalogue.tables import Rendering
from mappings.formats import FORMATS
from navette import demo
from navette.app import close_app
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, make_app, walk

PREFIXES = [*FORMATS, "a-format-without-dictionary"]


def test_every_format_navette_writes_is_packed_with_a_dictionary_of_its_own():
    assert set(FORMATS) <= set(packing.CURRENT)
    for number in packing.DICTIONARIES:
        assert packing.dictionary_file(number).is_file()


def test_each_format_is_packed_now_with_a_dictionary_zstandard_trained():
    for prefix in FORMATS:
        assert packing.DICTIONARIES[packing.CURRENT[prefix]].trained


@given(xml=st.text())
def test_a_rendering_packed_with_an_earlier_dictionary_still_reads_as_it_was(xml):
    for number, described in packing.DICTIONARIES.items():
        packed = packing.pack(described.prefix, xml, dictionary=number)
        assert packed[0] == number
        assert packing.unpack(packed).decode("utf-8") == xml
        assert packing.unpack_page([None, packed]) == [None, xml.encode("utf-8")]


@given(prefix=st.sampled_from(PREFIXES), xml=st.text())
def test_any_text_comes_back_exactly_as_it_was_packed(prefix, xml):
    assert packing.unpack(packing.pack(prefix, xml)).decode("utf-8") == xml


def test_a_rendering_is_stored_smaller_than_its_text_naming_its_dictionary():
    xml = packing.dictionary_file(2).read_text("utf-8")
    packed = packing.pack("ebucore", xml)
    assert packed[0] == packing.CURRENT["ebucore"]
    assert len(packed) * 10 < len(xml.encode("utf-8"))


def test_a_dictionary_file_that_changed_is_refused_in_words(tmp_path, monkeypatch):
    shutil.copytree(packing.FOLDER, tmp_path / "dictionaries")
    changed = tmp_path / "dictionaries" / packing.dictionary_file(1).name
    changed.write_text(changed.read_text("utf-8") + " ", "utf-8")
    monkeypatch.setattr(packing, "FOLDER", tmp_path / "dictionaries")
    with pytest.raises(packing.PackingUnknown, match="restore it from Navette's source"):
        packing._dictionary(1)


def test_a_rendering_packed_with_a_dictionary_this_navette_lacks_is_refused_in_words():
    with pytest.raises(packing.PackingUnknown, match="written by a newer version"):
        packing.unpack(bytes((200,)) + b"\x28\xb5\x2f\xfd")
    with pytest.raises(packing.PackingUnknown, match="written by a newer version"):
        packing.unpack_page([bytes((200,)) + b"\x28\xb5\x2f\xfd"])


def test_an_empty_stored_rendering_is_refused_in_words_as_damage():
    with pytest.raises(packing.PackingUnknown, match="the store is damaged"):
        packing.unpack_page([b""])


def test_a_value_bound_to_the_column_unpacked_is_refused():
    with pytest.raises(TypeError, match=r"packing\.pack"):
        packing.PackedXML().process_bind_param("<xml/>", None)


def _stored(sessions) -> dict[tuple[int, str], str]:
    with sessions() as session:
        return {
            (record, prefix): xml
            for record, prefix, xml in session.execute(
                select(Rendering.record_id, Rendering.prefix, Rendering.xml)
            )
        }


def _raw(sessions) -> dict[tuple[int, str], object]:
    with sessions() as session:
        rows = session.execute(text("SELECT record_id, prefix, xml FROM renderings"))
        return {(record, prefix): value for record, prefix, value in rows}


@requires_schemas
def test_the_demo_catalogue_is_stored_packed_and_read_back_as_it_was_rendered(sessions):
    demo.load(sessions)
    for (_, prefix), value in _raw(sessions).items():
        assert bytes(value)[0] == packing.CURRENT[prefix]
    for xml in _stored(sessions).values():
        assert xml.startswith("<")


@requires_schemas
def test_migration_0018_packs_the_renderings_a_store_held_and_unpacks_them_going_down(sessions):
    demo.load(sessions)
    rendered = _stored(sessions)
    engine = sessions.kw["bind"]
    downgrade(engine, "0017")
    assert {key: str(value) for key, value in _raw(sessions).items()} == rendered
    upgrade(engine)
    assert _stored(sessions) == rendered
    assert all(not isinstance(value, str) for value in _raw(sessions).values())


def _canonical(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


@requires_schemas
@pytest.mark.parametrize("prefix", ["oai_dc", "ebucore"])
def test_a_list_serves_renderings_packed_by_earlier_dictionaries_as_they_were_rendered(
    sessions, database_url, prefix
):
    demo.load(sessions)
    rendered = _stored(sessions)
    raw_content = {d.prefix: n for n, d in packing.DICTIONARIES.items() if not d.trained}
    with sessions.begin() as session:
        for (record, stored_prefix), xml in rendered.items():
            if record % 2 == 0:
                # As an earlier Navette stored it: a page then mixes both dictionaries.
                session.execute(
                    update(Rendering)
                    .where(Rendering.record_id == record, Rendering.prefix == stored_prefix)
                    .values(xml=packing.pack(stored_prefix, xml, raw_content[stored_prefix]))
                )
    expected = sorted(
        _canonical(etree.fromstring(xml.encode()))
        for (_, stored_prefix), xml in rendered.items()
        if stored_prefix == prefix
    )
    app = make_app(database_url, page_size=25)
    try:
        _, pages = walk(app.test_client(), "ListRecords", metadataPrefix=prefix)
    finally:
        close_app(app)
    served = sorted(
        _canonical(metadata[0])
        for page in pages
        for metadata in page.iterfind(".//oai:metadata", NS)
    )
    assert served == expected
