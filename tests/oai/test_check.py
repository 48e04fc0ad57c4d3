"""`navette check URL`: Navette's own endpoint passes; a broken one has each defect reported."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from harvester.conformance import Checker
from navette.cli import main
from tests.conftest import requires_schemas
from tests.harvest.partner import Partner, Reply, films

pytestmark = requires_schemas


def test_navettes_own_endpoint_passes_every_check(served):
    result = CliRunner().invoke(main, ["check", served])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert "PASS the last page carries an empty resumptionToken" in result.output
    assert "PASS gzip as advertised" in result.output


@pytest.fixture
def broken():
    partner = Partner(films(7), page_size=3)
    yield partner
    partner.stop()


def _failures(url: str) -> dict[str, str]:
    return {c.name: c.evidence for c in Checker(url).run() if not c.passed}


def test_each_defect_of_a_broken_endpoint_is_reported(broken):
    broken.faults.append(
        lambda n, params: Reply(400, b"<html>bad request</html>") if not params else None
    )
    broken.token_writer = lambda text, offset, total: (
        f'<resumptionToken completeListSize="{total + 5}" cursor="{offset}">{text}'
        "</resumptionToken>"
    )
    failures = _failures(broken.url)
    assert "no verb is badVerb (HTTP 200)" in failures
    assert "HTTP 400" in failures["no verb is badVerb (HTTP 200)"]
    assert "a repeated verb is badVerb (HTTP 200)" in failures
    assert "an unknown format is cannotDisseminateFormat (HTTP 200)" in failures
    assert "an unknown identifier is idDoesNotExist (HTTP 200)" in failures
    assert "completeListSize is the size of the list" in failures
    assert "POST is answered like GET" in failures
    assert "GetRecord returns the record listed" in failures


def test_a_wrong_base_url_and_a_missing_final_token_are_reported(broken):
    broken.faults.append(
        lambda n, params: (
            Reply(
                body=broken.respond(params)
                .replace(
                    f"<baseURL>{broken.url}</baseURL>", "<baseURL>http://elsewhere/oai</baseURL>"
                )
                .encode()
            )
            if params.get("verb") == "Identify"
            else None
        )
    )
    original = broken.respond

    def no_final_token(params):
        return original(params).replace('<resumptionToken completeListSize="7" cursor="6"/>', "")

    broken.respond = no_final_token
    failures = _failures(broken.url)
    assert "elsewhere" in failures["baseURL is the URL harvesters use"]
    assert "the last page of a paged list has an empty resumptionToken" in failures


def test_check_exits_1_on_failures_and_2_on_a_bad_url(broken):
    assert CliRunner().invoke(main, ["check", broken.url]).exit_code == 1
    assert CliRunner().invoke(main, ["check", "ftp://x"]).exit_code == 2
