"""The arguments of a query string or a form body, whatever bytes a client sent.

Bytes that are not UTF-8 become U+FFFD, so that they fail the argument checks of the
page or the OAI-PMH verb that reads them, as any other bad value, instead of the
request (Werkzeug's own parsing raises on them)."""

from __future__ import annotations

from urllib.parse import parse_qsl


def decoded_pairs(raw: bytes) -> list[tuple[str, str]]:
    """'verb=Identify&x=%FF' -> [('verb', 'Identify'), ('x', '\\ufffd')], in order,
    repeated names kept."""
    text = raw.decode("utf-8", errors="replace")
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace")
