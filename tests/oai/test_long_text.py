"""The OAI browser view renders any stored text in time linear in its length (issue 34):
an abstract of 5,000 lines used to cost one recursive template call a line, and the view
and every list holding the record answered 500."""

from __future__ import annotations

from catalogue.model import Text
from tests.conftest import requires_schemas
from tests.oai.helpers import REPOSITORY, T0

pytestmark = requires_schemas

HTML = {"Accept": "text/html"}
LINES = 5000


def _long_record(catalogue) -> None:
    abstract = "\n".join(f"Line {n} of the abstract" for n in range(1, LINES + 1))
    process = "\n".join(f"Step {n}" for n in range(1, LINES + 1))
    catalogue.write(
        "long-text", T0, abstracts=[Text(abstract, "en")], process=[Text(process, "en")]
    )


def test_a_record_of_five_thousand_lines_is_shown_whole(client, catalogue):
    _long_record(catalogue)
    response = client.get(
        f"/oai?verb=GetRecord&metadataPrefix=ebucore&identifier=oai:{REPOSITORY}:long-text",
        headers=HTML,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Line {LINES} of the abstract" in page and f"Step {LINES}" in page
    assert page.count("<p>Line ") == LINES


def test_a_list_holding_such_a_record_is_shown(client, catalogue):
    _long_record(catalogue)
    response = client.get("/oai?verb=ListRecords&metadataPrefix=ebucore", headers=HTML)
    assert response.status_code == 200
    assert f"Step {LINES}" in response.get_data(as_text=True)


def test_the_lines_of_a_process_are_shown_line_by_line(client, catalogue):
    catalogue.write("lines", T0, process=[Text("First\nSecond", "en")])
    page = client.get(
        f"/oai?verb=GetRecord&metadataPrefix=ebucore&identifier=oai:{REPOSITORY}:lines",
        headers=HTML,
    ).get_data(as_text=True)
    assert "First<br>Second" in page
