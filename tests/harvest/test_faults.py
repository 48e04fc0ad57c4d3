"""Every fault a real feed throws, each against a fake partner over loopback HTTP."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.conftest import requires_schemas
from tests.harvest.helpers import (
    SleepRecorder,
    catalogue,
    fetcher,
    live,
    quarantine,
    run,
    source,
)
from tests.harvest.partner import PartnerRecord, Reply, dc_metadata, films

pytestmark = requires_schemas


def once(number: int, reply: Reply):
    """A fault that answers request ``number`` only."""
    return lambda n, params: reply if n == number else None


def burst(first: int, count: int, reply: Reply):
    return lambda n, params: reply if first <= n < first + count else None


# --- HTTP and network faults -------------------------------------------------------


def test_503_with_retry_after_seconds_is_waited_for(sessions, partners):
    partner = partners(films(6))
    partner.faults.append(once(3, Reply(503, b"busy", {"Retry-After": "7"})))
    sleep = SleepRecorder()
    report = run(sessions, partner, fetch=fetcher(sleep))
    assert report.status == "success" and len(live(sessions)) == 6
    assert sleep.waits == [7.0]
    assert report.counts["retries"] == 1


def test_503_with_retry_after_as_an_http_date_is_waited_for(sessions, partners):
    partner = partners(films(6))
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    partner.faults.append(once(3, Reply(503, b"busy", {"Retry-After": when})))
    sleep = SleepRecorder()
    report = run(sessions, partner, fetch=fetcher(sleep))
    assert report.status == "success"
    assert 15 <= sleep.waits[0] <= 20


@pytest.mark.parametrize("status", [429, 500, 502, 504])
def test_bursts_of_server_errors_are_retried_with_capped_backoff(sessions, partners, status):
    partner = partners(films(6))
    partner.faults.append(burst(3, 3, Reply(status, b"oops")))
    sleep = SleepRecorder()
    report = run(sessions, partner, fetch=fetcher(sleep))
    assert report.status == "success" and len(live(sessions)) == 6
    assert sleep.waits == [0.75, 1.5, 3.0]  # exponential, jitter fixed at the middle


def test_a_connection_reset_mid_list_is_retried(sessions, partners):
    partner = partners(films(6))
    partner.faults.append(once(3, Reply(close=True)))
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6


def test_a_read_timeout_mid_list_is_retried(sessions, partners):
    partner = partners(films(6))
    partner.faults.append(once(3, Reply(delay=1.5, body=b"late")))
    report = run(sessions, partner, fetch=fetcher(read_timeout=0.5))
    assert report.status == "success" and len(live(sessions)) == 6


def test_persistent_failure_marks_the_source_failed_and_keeps_its_checkpoint(sessions, partners):
    partner = partners(films(9))
    partner.faults.append(lambda n, params: Reply(500) if n >= 4 else None)
    report = run(sessions, partner, fetch=fetcher(attempts=3))
    assert report.status == "failed" and "failed 3 times" in report.message
    assert source(sessions).status == "failed"
    assert source(sessions).checkpoint["token"] is not None
    assert source(sessions).harvested_until is None
    assert len(live(sessions)) == 6
    partner.faults.clear()
    partner.requests.clear()
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 9
    assert "resumptionToken" in next(r for r in partner.requests if r["verb"] == "ListRecords")


# --- resumption tokens --------------------------------------------------------------


def test_an_expired_token_redoes_the_current_window_from_its_from(sessions, partners):
    partner = partners(films(9))
    run(sessions, partner)
    for record in partner.records[6:]:
        record.datestamp = "2024-06-02T08:00:00Z"
    partner.records.append(PartnerRecord("oai:partner.example.org:new", "2024-06-02T09:00:00Z"))
    partner.response_date = "2024-06-02T10:00:00Z"
    expired = {"done": False}

    def expire(n, params):
        if "resumptionToken" in params and not expired["done"]:
            expired["done"] = True
            partner.token_generation += 1
        return None

    partner.faults.append(expire)
    partner.requests.clear()
    report = run(sessions, partner)
    assert report.status == "success"
    lists = [r for r in partner.requests if r["verb"] == "ListRecords"]
    assert (
        lists[0]
        == lists[2]
        == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-05-01T07:59:59Z"}
    )
    assert len(live(sessions)) == 10


def test_a_last_page_with_an_empty_token_carrying_attributes_ends_the_list(sessions, partners):
    partner = partners(films(7))
    report = run(sessions, partner)
    assert report.status == "success" and report.counts["pages"] == 3


def test_pages_with_no_records_but_a_token_do_not_end_the_list(sessions, partners):
    partner = partners(films(6))
    empty = {"served": 0}

    def hollow(n, params):
        """Answers two pages with no record, whose new token points where the old did."""
        if "resumptionToken" in params and empty["served"] < 2:
            empty["served"] += 1
            token = params["resumptionToken"].split("|hollow")[0] + f"|hollow{n}"
            body = f"<ListRecords><resumptionToken>{token}</resumptionToken></ListRecords>"
            return Reply(body=partner.envelope(params, body).encode())
        return None

    partner.faults.append(hollow)
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6


def test_a_repeated_token_flags_the_source_instead_of_looping(sessions, partners):
    partner = partners(films(9))
    partner.token_writer = lambda text, offset, total: "<resumptionToken>same</resumptionToken>"
    partner.faults.append(
        lambda n, params: (
            Reply(
                body=partner.respond({"verb": "ListRecords", "metadataPrefix": "oai_dc"}).encode()
            )
            if params.get("resumptionToken") == "same"
            else None
        )
    )
    report = run(sessions, partner)
    assert report.status == "failed" and "repeated a resumption token" in report.message
    assert source(sessions).harvested_until is None


def test_a_token_that_never_ends_flags_the_source(sessions, partners):
    partner = partners(films(3))
    counter = {"n": 0}

    def endless(n, params):
        if "resumptionToken" in params or params.get("metadataPrefix"):
            counter["n"] += 1
            body = partner.envelope(
                params,
                f"<ListRecords><resumptionToken>t{counter['n']}</resumptionToken></ListRecords>",
            )
            return Reply(body=body.encode())
        return None

    partner.faults.append(endless)
    report = run(sessions, partner)
    assert report.status == "failed" and "pages in a row without records" in report.message


def test_a_cursor_that_stays_put_while_tokens_change_is_harvested_to_the_end(sessions, partners):
    """Sickle's own sample responses carry cursor="0" on every page: an optional quirk."""
    partner = partners(films(12))
    partner.token_writer = lambda text, offset, total: (
        f'<resumptionToken completeListSize="{total}" cursor="0">{text}</resumptionToken>'
    )
    report = run(sessions, partner)
    assert report.status == "success" and report.counts["pages"] == 4
    assert len(live(sessions)) == 12


def test_a_cursor_that_goes_backwards_flags_the_source(sessions, partners):
    partner = partners(films(12))
    partner.token_writer = lambda text, offset, total: (
        f'<resumptionToken completeListSize="{total}" cursor="{9 - offset}">{text}'
        "</resumptionToken>"
    )
    report = run(sessions, partner)
    assert report.status == "failed" and "cursor goes backwards" in report.message


def test_fresh_tokens_over_the_same_identifiers_stop_the_harvest(sessions, partners):
    """Every page a new token, no cursor, the same 20 identifiers: flagged, not endless."""
    partner = partners(films(20), page_size=20)
    counter = {"n": 0}

    def endless(n, params):
        if params.get("verb") != "ListRecords":
            return None
        counter["n"] += 1
        records = "".join(r.xml() for r in partner.records)
        body = f"<ListRecords>{records}<resumptionToken>t{counter['n']}</resumptionToken>"
        return Reply(body=partner.envelope(params, body + "</ListRecords>").encode())

    partner.faults.append(endless)
    report = run(sessions, partner)
    assert report.status == "failed" and "same identifiers come round again" in report.message
    assert counter["n"] <= 12
    assert len(live(sessions)) == 20
    assert source(sessions).status == "failed"
    assert "come round again" in source(sessions).message


def test_a_list_far_past_its_complete_list_size_flags_the_source(sessions, partners):
    partner = partners(films(150), page_size=10)
    partner.token_writer = lambda text, offset, total: (
        f'<resumptionToken completeListSize="1">{text}</resumptionToken>'
    )
    report = run(sessions, partner)
    assert report.status == "failed" and "far past its completeListSize" in report.message


# --- bodies that are not what they claim --------------------------------------------


def test_an_html_error_page_with_status_200_is_retried_not_taken_as_the_end(sessions, partners):
    partner = partners(films(6))
    html = b"<html><body><h1>Maintenance</h1></body></html>"
    partner.faults.append(once(3, Reply(200, html, {"Content-Type": "text/html"})))
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6


def test_an_html_error_page_that_persists_fails_the_harvest(sessions, partners):
    partner = partners(films(6))
    html = b"<html><body>Down</body></html>"
    partner.faults.append(lambda n, params: Reply(200, html) if n >= 3 else None)
    report = run(sessions, partner, fetch=fetcher(attempts=2))
    assert report.status == "failed" and "not an OAI-PMH response" in report.message


def test_gzip_without_content_encoding_is_read(sessions, partners):
    partner = partners(films(6))

    def zipped(n, params):
        if n == 3:
            return Reply(body=gzip.compress(partner.respond(params).encode()))
        return None

    partner.faults.append(zipped)
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6


def test_a_truncated_body_is_retried(sessions, partners):
    partner = partners(films(6))

    def truncated(n, params):
        if n == 3:
            return Reply(body=partner.respond(params).encode()[:-60])
        return None

    partner.faults.append(truncated)
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6
    assert report.counts["retries"] == 1


def test_garbage_after_the_root_is_cut_off_and_reported(sessions, partners):
    partner = partners(films(6))

    def trailing(n, params):
        if n == 3:
            return Reply(body=partner.respond(params).encode() + b"<!-- proxy --><junk/>")
        return None

    partner.faults.append(trailing)
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 6
    assert report.counts["warnings"] >= 1


def test_a_body_with_no_charset_declared_is_read_as_utf8(sessions, partners):
    partner = partners([PartnerRecord("oai:p.org:1", "2024-05-01T00:00:00Z", title="Économie")])

    def bare(n, params):
        if params.get("verb") == "ListRecords":
            body = partner.respond(params).replace('<?xml version="1.0" encoding="UTF-8"?>', "")
            return Reply(body=body.encode("utf-8"), headers={"Content-Type": "text/xml"})
        return None

    partner.faults.append(bare)
    report = run(sessions, partner)
    assert report.status == "success"
    from tests.harvest.helpers import titles

    assert titles(sessions) == {"partner:oai:p.org:1": "Économie"}


# --- one broken record on a page ----------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (
            "<record><header><identifier>oai:p.org:bad</identifier><datestamp>2024-05-01"
            "</datestamp></header><metadata>"
            + dc_metadata("Bell \x07 here")
            + "</metadata></record>",
            "not well-formed",
        ),
        (
            "<record><header><identifier>oai:p.org:bad</identifier><datestamp>2024-05-01"
            "</datestamp></header><metadata>"
            + dc_metadata("Tom & Jerry").replace("&amp;", "&")
            + "</metadata></record>",
            "not well-formed",
        ),
        (
            "<record><header><identifier>oai:p.org:bad</identifier><datestamp>2024-05-01"
            "</datestamp></header></record>",
            "no metadata",
        ),
        (
            "<record><header><identifier>oai:p.org:bad</identifier><datestamp>2024-05-01"
            "</datestamp></header><metadata><oai_dc:dc xmlns:oai_dc="
            '"http://www.openarchives.org/OAI/2.0/oai_dc/"><nonsense/></oai_dc:dc></metadata>'
            "</record>",
            "not valid oai_dc",
        ),
    ],
    ids=["illegal-character", "unescaped-ampersand", "missing-metadata", "schema-invalid"],
)
def test_one_broken_record_is_quarantined_and_its_neighbours_go_in(
    sessions, partners, broken, reason
):
    records = films(5)
    records.insert(2, PartnerRecord("oai:p.org:bad", "2024-05-01T00:30:00Z", raw=broken))
    partner = partners(records)
    report = run(sessions, partner)
    assert report.status == "rejects" and report.counts["rejected"] == 1
    assert len(live(sessions)) == 5
    (held,) = quarantine(sessions)
    assert held.identifier == "oai:p.org:bad"
    assert reason in held.reason
    assert "oai:p.org:bad" in held.raw_xml
    assert held.page.startswith(partner.url)


def test_an_oversize_record_is_quarantined(sessions, partners, monkeypatch):
    from harvester import mapping

    monkeypatch.setattr(mapping, "MAX_RECORD_BYTES", 2_000)
    records = films(3)
    records[1].title = "x" * 3_000
    report = run(sessions, partners(records))
    assert report.counts["rejected"] == 1
    assert "oversize" in quarantine(sessions)[0].reason


# --- hostile XML --------------------------------------------------------------------


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE OAI-PMH [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE OAI-PMH SYSTEM "http://127.0.0.1:9/evil.dtd">',
        '<!DOCTYPE OAI-PMH [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    ],
    ids=["external-entity", "external-dtd", "entity-expansion"],
)
def test_hostile_xml_is_refused_without_reading_files_or_the_network(sessions, partners, doctype):
    partner = partners(films(3))

    def hostile(n, params):
        if params.get("verb") == "ListRecords":
            body = partner.respond(params).replace("?>", "?>" + doctype, 1)
            return Reply(body=body.replace("Partner film 000", "&x;&d;").encode())
        return None

    partner.faults.append(hostile)
    report = run(sessions, partner, fetch=fetcher(attempts=2))
    assert report.status == "failed"
    assert "DOCTYPE" in report.message
    assert catalogue(sessions) == {}


def test_a_record_whose_identifier_is_too_long_to_keep_is_quarantined(sessions, partners):
    records = films(3)
    records[1].identifier = "oai:partner.example.org:" + "z" * 600
    report = run(sessions, partners(records))
    assert report.status == "rejects" and len(live(sessions)) == 2
    [held] = quarantine(sessions)
    assert "characters long" in held.reason and held.identifier == records[1].identifier[:500]


def test_an_identify_answered_with_an_error_harvests_in_days_and_says_so(sessions, partners):
    partner = partners(films(3))
    error = (
        b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        b"<responseDate>2026-12-01T00:00:00Z</responseDate><request>x</request>"
        b'<error code="badVerb">no such verb here</error></OAI-PMH>'
    )
    partner.faults.append(
        lambda n, params: Reply(200, error) if params.get("verb") == "Identify" else None
    )
    report = run(sessions, partner)
    assert report.status == "success" and report.counts["new"] == 3
    assert "does not answer Identify (badVerb: no such verb here)" in report.message
    assert "day granularity" in report.message
