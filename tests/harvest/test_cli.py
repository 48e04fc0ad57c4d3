"""`navette sources`, `harvest`, `quarantine`, `deletions` and `worker` from the command line."""

from __future__ import annotations

from tests.conftest import requires_schemas
from tests.harvest.partner import PartnerRecord, Reply, films

pytestmark = requires_schemas


def test_sources_add_list_show_remove(cli, partners):
    partner = partners(films(3))
    assert (
        cli(
            "sources",
            "add",
            "p1",
            partner.url,
            "--prefix",
            "oai_dc",
            "--set",
            "a",
            "--schedule",
            "0 3 * * *",
        ).exit_code
        == 0
    )
    listed = cli("sources", "list")
    assert "p1\tidle\t" + partner.url in listed.output
    shown = cli("sources", "show", "p1")
    assert "schedule: 0 3 * * *" in shown.output and "prefixes: oai_dc" in shown.output
    assert "None" not in shown.output and "[]" not in shown.output
    assert cli("sources", "remove", "p1").exit_code == 0
    assert "p1" not in cli("sources", "list").output


def test_sources_add_refuses_a_bad_schedule_or_a_duplicate(cli, partners):
    partner = partners(films(1))
    assert cli("sources", "add", "p1", partner.url, "--schedule", "at dawn").exit_code == 2
    assert cli("sources", "add", "p1", partner.url).exit_code == 0
    result = cli("sources", "add", "p1", partner.url)
    assert result.exit_code == 2 and "already a source" in result.output


def test_harvest_exits_0_and_prints_the_run_report(cli, partners):
    partner = partners(films(7))
    cli("sources", "add", "p1", partner.url)
    result = cli("harvest", "p1")
    assert result.exit_code == 0, result.output + cli("quarantine", "list").output
    assert "p1: success: 7 new, 0 updated" in result.output
    assert "p1: page 1, 3/7 records" in result.output


def test_harvest_exits_1_when_records_were_quarantined(cli, partners):
    records = films(3)
    records.append(PartnerRecord("oai:p.org:bad", "2024-05-02T00:00:00Z", raw="<record/>"))
    partner = partners(records)
    cli("sources", "add", "p1", partner.url)
    result = cli("harvest", "p1")
    assert result.exit_code == 1 and "1 rejected" in result.output


def test_harvest_exits_2_when_the_harvest_failed(cli, partners, monkeypatch):
    cli("sources", "add", "p1", "http://127.0.0.1:9/oai", "--no-check")
    monkeypatch.setenv("NAVETTE_HARVEST_ATTEMPTS", "1")  # no backoff to sleep through
    result = cli("harvest", "p1")
    assert result.exit_code == 2 and "failed 1 times" in result.output


def test_harvest_exits_3_when_it_held_its_deletions(cli, partners):
    partner = partners(films(10))
    cli("sources", "add", "p1", partner.url)
    cli("harvest", "p1")
    for record in partner.records[:5]:
        record.deleted, record.datestamp = True, "2024-06-02T00:00:00Z"
    result = cli("harvest", "p1")
    assert result.exit_code == 3, result.output
    assert "p1: held:" in result.output and "navette deletions approve" in result.output


def test_sources_add_refuses_an_endpoint_that_does_not_answer(cli):
    result = cli("sources", "add", "p1", "http://127.0.0.1:9/oai")
    assert result.exit_code == 2
    assert "does not answer as an OAI-PMH endpoint" in result.output
    assert "p1" not in cli("sources", "list").output


def test_sources_add_refuses_a_web_page(cli, partners):
    partner = partners(films(1))
    page = b"<!DOCTYPE html><html><body><p>Welcome to our library</p></body></html>"
    partner.faults.append(lambda n, params: Reply(200, page, {"Content-Type": "text/html"}))
    result = cli("sources", "add", "p1", partner.url)
    assert result.exit_code == 2 and "does not answer as an OAI-PMH endpoint" in result.output


def test_sources_add_refuses_a_prefix_the_partner_does_not_serve(cli, partners):
    partner = partners(films(1))
    result = cli("sources", "add", "p1", partner.url, "--prefix", "marcxml")
    assert result.exit_code == 2
    assert "serves none of marcxml (it offers oai_dc)" in result.output


def test_sources_add_accepts_a_prefix_served_but_not_listed(cli, partners):
    partner = partners(films(1))
    partner.serves = ("oai_dc", "ebucore")
    assert cli("sources", "add", "p1", partner.url, "--prefix", "ebucore").exit_code == 0


def test_sources_add_without_check_adds_what_it_cannot_reach(cli):
    result = cli("sources", "add", "p1", "http://127.0.0.1:9/oai", "--no-check")
    assert result.exit_code == 0 and "p1" in cli("sources", "list").output


def test_a_source_name_holding_a_colon_is_refused(cli, partners):
    partner = partners(films(1))
    result = cli("sources", "add", "ina:oai", partner.url)
    assert result.exit_code == 2 and "cannot name a source" in result.output


def test_a_url_harvested_under_a_name_is_harvested_under_that_name(cli, partners):
    partner = partners(films(3))
    cli("sources", "add", "named", partner.url)
    assert cli("harvest", "named").exit_code == 0
    result = cli("harvest", partner.url + "/")
    assert result.exit_code == 0 and "named: success: 0 new" in result.output
    assert len(cli("sources", "list").output.splitlines()) == 1


def test_a_url_given_twice_is_one_source(cli, partners):
    partner = partners(films(3))
    cli("harvest", partner.url)
    cli("harvest", partner.url)
    assert len(cli("sources", "list").output.splitlines()) == 1


def test_harvest_exits_2_on_an_unknown_source_or_no_target(cli):
    assert cli("harvest", "nobody").exit_code == 2
    assert cli("harvest").exit_code == 2


def test_harvest_a_url_directly_and_all_sources(cli, partners):
    first, second = partners(films(2)), partners(films(3))
    assert cli("harvest", first.url, "--prefix", "oai_dc").exit_code == 0
    cli("sources", "add", "second", second.url)
    result = cli("harvest", "--all")
    assert result.exit_code == 0
    assert "second: success: 3 new" in result.output


def test_quarantine_list_show_and_retry(cli, partners, monkeypatch):
    from harvester import mapping

    monkeypatch.setattr(mapping, "MAX_RECORD_BYTES", 500)
    records = films(3)
    records[1].title = "y" * 600
    partner = partners(records)
    cli("sources", "add", "p1", partner.url)
    assert cli("harvest", "p1").exit_code == 1
    listed = cli("quarantine", "list")
    assert "oversize" in listed.output
    number = listed.output.split("\t")[0]
    shown = cli("quarantine", "show", number)
    assert "yyyy" in shown.output and partner.url in shown.output
    assert cli("quarantine", "retry", number).exit_code == 1
    monkeypatch.setattr(mapping, "MAX_RECORD_BYTES", 5_000_000)
    result = cli("quarantine", "retry", number)
    assert result.exit_code == 0 and f"{number}: stored" in result.output
    assert cli("quarantine", "list").output == ""


def test_held_deletions_from_the_command_line(cli, partners):
    partner = partners(films(10), deleted_record="no")
    cli("sources", "add", "p1", partner.url)
    cli("harvest", "p1")
    del partner.records[:6]
    cli("harvest", "p1", "--reconcile")
    listed = cli("deletions", "list")
    assert "6 records" in listed.output
    number = listed.output.split("\t")[0]
    result = cli("deletions", "approve", number)
    assert result.exit_code == 0 and "6 records deleted" in result.output
    assert cli("deletions", "approve", number).exit_code == 2


def test_worker_runs_the_harvests_that_are_due(cli, partners, database_url):
    from catalogue.database import open_store
    from catalogue.tables import SourceRow

    partner = partners(films(4))
    cli("sources", "add", "p1", partner.url, "--schedule", "*/5 * * * *")
    cli("sources", "add", "p2", partner.url)
    sessions = open_store(database_url)
    with sessions.begin() as session:
        session.get(SourceRow, "p1").next_run = session.get(SourceRow, "p1").next_run.replace(
            year=2000
        )
    result = cli("worker", "--once")
    assert result.exit_code == 0 and "1 harvests run" in result.output
    with sessions() as session:
        row = session.get(SourceRow, "p1")
        assert row.harvested_until is not None and row.next_run.year > 2000
        assert session.get(SourceRow, "p2").harvested_until is None
    sessions.kw["bind"].dispose()
