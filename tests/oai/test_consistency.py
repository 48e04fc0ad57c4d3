"""A harvest in progress while the catalogue changes returns every unchanged record once."""

from __future__ import annotations

from datetime import timedelta

from catalogue.model import Text
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, T0, harvest, identifiers, oai_id, token

pytestmark = requires_schemas


def test_changes_during_a_harvest_never_lose_or_repeat_an_unchanged_record(app_factory, catalogue):
    # Forty records, many sharing one datestamp (ties broken by identifier).
    for n in range(40):
        catalogue.write(f"film-{n:02d}", T0 + timedelta(seconds=n // 7))
    client = app_factory(page_size=6, identifiers_page_size=6).test_client()
    later = T0 + timedelta(hours=1)

    seen: list[str] = []
    page = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    step = 0
    while True:
        seen += identifiers(page)
        element = token(page)
        if element is None or not element.text:
            break
        # Between pages: add, change and delete records, before and after the cursor.
        step += 1
        catalogue.write(f"new-{step:02d}", later + timedelta(seconds=step))
        catalogue.write(
            f"film-{(step * 7) % 40:02d}",
            later + timedelta(seconds=step),
            subjects=[Text(f"Changed {step}", "en")],
        )
        catalogue.delete(f"film-{(step * 11 + 3) % 40:02d}", later + timedelta(seconds=step))
        page = harvest(client, verb="ListRecords", resumptionToken=element.text)

    touched = {f"film-{(s * 7) % 40:02d}" for s in range(1, step + 1)}
    touched |= {f"film-{(s * 11 + 3) % 40:02d}" for s in range(1, step + 1)}
    unchanged = [oai_id(f"film-{n:02d}") for n in range(40) if f"film-{n:02d}" not in touched]
    assert step >= 5
    for identifier in unchanged:
        assert seen.count(identifier) == 1, identifier


def test_the_cursor_counts_what_was_sent(app_factory, catalogue):
    for n in range(13):
        catalogue.write(f"film-{n:02d}", T0)
    client = app_factory(page_size=5).test_client()
    page = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    cursors = []
    while True:
        element = page.find(".//oai:resumptionToken", NS)
        cursors.append((element.get("cursor"), element.get("completeListSize")))
        if not element.text:
            break
        page = harvest(client, verb="ListRecords", resumptionToken=element.text)
    assert cursors == [("0", "13"), ("5", "13"), ("10", "13")]
