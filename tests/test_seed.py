"""The demo's Mars Express record holds what its data sheet says, and nothing invented.

The data sheet is the library's own page, copied in ``../shared/seed/``: every text of
the record must stand on it, and every fact on it must be in the record.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHARED

SHEET = SHARED / "seed" / "cnrs-video-record-mars-express.txt"

pytestmark = pytest.mark.skipif(not SHEET.exists(), reason=f"the data sheet {SHEET} is absent")

#: Values the record holds in its own form, with the words the sheet shows them in.
DERIVED = {
    "identifier": ("cnrs-6764", "Item No.6764"),
    "duration_seconds": (592, "00:09:52"),
    "aspect_ratio": ("16:9", "16/9"),
    "colour": (True, "Color"),
    "sound": (True, "Sound"),
    "source_archive": ("CNRS Images", "Producer : CNRS Images"),
    # A film of the video library, in HD: the sheet of a moving image.
    "resource_type": ("MovingImage", "HD 16/9"),
}


def _flat(sheet: str) -> str:
    return re.sub(r"\s+", " ", sheet)


def strings(value) -> list[str]:
    """Every text a JSON value holds, labels of texts included (type, role, kind aside)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    if isinstance(value, dict):
        return [
            s for key, item in value.items() if key not in ("lang", "kind") for s in strings(item)
        ]
    return []


def test_every_text_of_the_seed_stands_on_its_data_sheet(seed_data):
    sheet = _flat(SHEET.read_text(encoding="utf-8"))
    for field, value in seed_data.items():
        if field in DERIVED:
            held, shown = DERIVED[field]
            assert value == held and shown in sheet, field
            continue
        for text in strings(value):
            if field == "credits" and text in ("Personality",):
                text = "Personnalities"  # the sheet's own spelling of the heading
            assert _flat(text) in sheet, f"{field}: {text!r} is not on the data sheet"


def test_every_fact_of_the_data_sheet_is_in_the_seed(seed_data):
    assert seed_data["titles"] == [{"value": "Mars Express Mission", "lang": "en"}]
    assert [s["value"] for s in seed_data["series"]] == [
        "Facing the Universe, a Dive into Space Research"
    ]
    assert (seed_data["production_year"], seed_data["definition"]) == (2019, "HD")
    roles = {c["role"]: c for c in seed_data["credits"]}
    assert roles["Producer"]["organisation"] == "CNRS Images"
    assert roles["Director"]["person"] == {"family_name": "MIFSUD", "given_name": "Nicolas"}
    personalities = [c["person"]["family_name"] for c in seed_data["credits"] if "person" in c]
    assert {"BIBRING", "DORESSOUNDIRAM", "OLLIVIER", "LEBLANC"} <= set(personalities)
    assert seed_data["laboratories"] == ["UMR8617", "UMR8109", "UMR8190"]
    assert seed_data["subjects"] == [{"value": "Space Sciences", "lang": "en"}]
    assert seed_data["audiences"] == ["Large audience"]
    assert (seed_data["original_support"], seed_data["delivery_support"]) == (
        "HD",
        "Digitalised File",
    )
    assert seed_data["item_number"] == "6764"
    assert seed_data["distribution_restriction"] == (
        "Only available for non-commercial distribution"
    )
    assert seed_data["abstracts"][0]["value"].startswith('After the Russian "Mars 96')
    assert seed_data["process"][0]["value"].startswith("Prises de vues réelles")
    assert seed_data["notes"][0]["value"].startswith("IAS : Institut")


def test_nothing_the_sheet_does_not_show_is_in_the_seed(seed_data):
    for invented in ("landing_page", "keyframes", "languages", "rights", "object_types"):
        assert invented not in seed_data
