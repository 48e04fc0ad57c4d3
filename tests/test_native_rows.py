"""CSV rows of the native format (mappings.native): what a column says, a row keeps."""

from __future__ import annotations

import pytest

from catalogue import codec
from catalogue.model import Record, Text
from mappings.native import RowError, row_to_dict, to_row


def test_laboratory_names_travel_in_their_own_column():
    record = Record(
        "x",
        titles=[Text("Mars Express Mission", "en")],
        laboratories=["UMR8109", "UMR8190"],
        laboratory_names={"UMR8109": "LESIA"},
    )
    row = to_row(record)
    assert row["laboratory_names"] == "UMR8109: LESIA"
    assert codec.from_dict(row_to_dict(row)) == record


def test_a_laboratory_name_without_its_code_is_refused_with_the_column():
    with pytest.raises(RowError, match="laboratory_names"):
        row_to_dict({"identifier": "x", "laboratory_names": "LESIA"})
