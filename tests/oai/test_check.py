"""`navette check URL`: Navette's own endpoint passes; a broken one has each defect reported."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from checks.endpoint import Checker
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
    return {c.name: c.evidence for c in Checker.of(url).run() if not c.passed}


def test_each_defect_of_a_broken_endpoint_is_reported(broken):
    broken.faults.append(
        lambda n, params: Reply(400, b"<html>bad request</html>") if not params else None
    )
    broken.token_writer = lambda text, offset, total: (
        f'<resumptionToken completeListSize="{total + 5}" cursor="{offset}">{text}'
        "</resumptionToken>"
    )
    broken.serves = (*broken.formats, "no-such-format")
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


def _check_output(url: str, **env) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", url], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_check_reports_a_closed_port_without_a_traceback():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, output = _check_output(f"http://127.0.0.1:{port}/oai")
    assert status == 1
    assert "FAIL Identify answers" in output and "no answer" in output
    assert "SKIP every other check" in output


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Library</title></head><body>Hi</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>',
    ],
    ids=["an-html-page", "a-non-oai-xml-document"],
)
def test_check_reports_an_endpoint_that_is_not_oai_pmh_without_a_traceback(broken, body):
    broken.faults.append(lambda n, params: Reply(body=body))
    status, output = _check_output(broken.url)
    assert status == 1
    assert "FAIL Identify answers" in output
    assert "Traceback" not in output


def test_check_without_the_xsds_runs_the_protocol_checks_and_lists_what_it_skipped(
    broken, tmp_path
):
    status, output = _check_output(broken.url, NAVETTE_SCHEMA_DIR=str(tmp_path))
    assert "PASS Identify has every required field" in output
    assert "SKIP every response is valid against OAI-PMH.xsd" in output
    assert "SKIP a sample of oai_dc records is valid: not run: no XSDs at hand" in output
    assert status == 1  # the broken partner's own defects, not the missing schemas


def test_check_pages_through_list_records_when_list_identifiers_fits_one_page(broken):
    original = broken.respond

    def one_page_of_identifiers(params):
        if params.get("verb") == "ListIdentifiers":
            size, broken.page_size = broken.page_size, 100
            try:
                return original(params)
            finally:
                broken.page_size = size
        return original(params)

    broken.respond = one_page_of_identifiers
    checks = {c.name: c for c in Checker.of(broken.url).run()}
    final = checks["the last page carries an empty resumptionToken"]
    assert final.passed and "verb=ListRecords" in final.evidence
    assert checks["a list that fits one page needs no resumptionToken"].passed


def test_check_says_so_when_no_list_takes_several_pages():
    partner = Partner(films(2), page_size=3)
    try:
        checks = {c.name: c for c in Checker.of(partner.url).run()}
    finally:
        partner.stop()
    paging = checks["paging (resumption tokens to the final empty one)"]
    assert paging.skipped and "not exercised" in paging.evidence
