"""A laboratory as one line of text, and back: 'LESIA (UMR8109)', or the code alone."""

from __future__ import annotations

import pytest

from mappings.laboratories import format_laboratory, parse_laboratory


@pytest.mark.parametrize(
    ("code", "name", "line"),
    [
        ("UMR8109", "LESIA", "LESIA (UMR8109)"),
        ("UMR8109", None, "UMR8109"),
        ("UMR 7619", "Milieux (METIS)", "Milieux (METIS) (UMR 7619)"),
    ],
)
def test_a_laboratory_line_reads_back_as_its_code_and_name(code, name, line):
    assert format_laboratory(code, name) == line
    assert parse_laboratory(line) == (code, name)


def test_a_line_with_brackets_inside_only_is_a_code():
    assert parse_laboratory(" (UMR8109) ") == ("(UMR8109)", None)
