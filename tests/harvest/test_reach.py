"""The harvester goes only where the admin sent it: no redirect to another machine or
service, no address the admin did not allow, and no more of a reply than a glimpse.

The partners run on loopback; so does the "internal service" a hostile partner points
at, standing for a database console or a cloud's metadata address.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harvester.excerpts import excerpt
from harvester.fetch import Fetcher, HarvestFailed, RetryPolicy, moved_to
from tests.conftest import requires_schemas
from tests.harvest.helpers import SleepRecorder, fetcher, live, run
from tests.harvest.partner import Reply, films

pytestmark = requires_schemas

SECRET = b"internal-service-secret: root password is hunter2"


class InternalService:
    """A service on this machine that answers anyone who asks, and counts who did."""

    def __init__(self) -> None:
        service = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                service.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", str(len(SECRET)))
                self.end_headers()
                self.wfile.write(SECRET)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/admin"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def internal():
    service = InternalService()
    yield service
    service.stop()


def redirect_first(location: str):
    return lambda n, params: Reply(302, b"", {"Location": location}) if n == 0 else None


def test_a_redirect_to_another_port_stops_the_harvest_before_it_is_followed(
    sessions, partners, internal
):
    partner = partners(films(3))
    partner.faults.append(redirect_first(internal.url))
    report = run(sessions, partner)
    assert report.status == "failed"
    assert f"the partner says it moved to “{internal.url}”" in report.message
    assert "give the source that URL" in report.message
    assert internal.requests == []
    assert "hunter2" not in report.message


def test_a_redirect_to_another_host_is_not_followed(sessions, partners, internal):
    partner = partners(films(3))
    elsewhere = internal.url.replace("127.0.0.1", "localhost")
    partner.faults.append(redirect_first(elsewhere))
    report = run(sessions, partner)
    assert report.status == "failed" and "moved to “http://localhost:" in report.message
    assert internal.requests == []


def test_a_redirect_on_the_same_host_and_port_is_followed(sessions, partners):
    partner = partners(films(3))
    moved = partner.url.replace("/oai", "/oai2")
    partner.faults.append(
        lambda n, params: (
            Reply(301, b"", {"Location": f"{moved}?verb={params['verb']}"})
            if n == 0 and params.get("verb") == "Identify"
            else None
        )
    )
    report = run(sessions, partner)
    assert report.status == "success" and len(live(sessions)) == 3


@pytest.mark.parametrize(
    ("current", "location", "followed"),
    [
        ("http://archive.org/oai", "/oai2?verb=Identify", True),
        ("http://archive.org/oai", "https://archive.org/oai", True),
        ("http://archive.org:8080/oai", "https://archive.org:8080/oai", True),
        ("https://archive.org/oai", "http://archive.org/oai", False),
        ("http://archive.org/oai", "http://archive.org:5432/", False),
        ("http://archive.org/oai", "https://archive.org:8443/oai", False),
        ("http://archive.org/oai", "http://169.254.169.254/latest/meta-data/", False),
        ("http://archive.org/oai", "http://archive.org.evil.example/oai", False),
        ("http://archive.org/oai", "ftp://archive.org/oai", False),
        ("http://archive.org/oai", "//evil.example/oai", False),
    ],
)
def test_a_redirect_is_followed_only_to_the_same_origin_or_its_https(current, location, followed):
    if followed:
        assert moved_to(current, location).endswith(location.split("archive.org")[-1])
    else:
        with pytest.raises(HarvestFailed, match="the partner says it moved to"):
            moved_to(current, location)


def test_a_loopback_partner_is_refused_unless_the_admin_allows_it(sessions, partners):
    partner = partners(films(3))
    policy = RetryPolicy(attempts=2, connect_timeout=2.0, read_timeout=5.0)
    public_only = Fetcher(policy, sleep=SleepRecorder(), jitter=lambda: 0.5)
    report = run(sessions, partner, fetch=public_only)
    assert report.status == "failed"
    assert "127.0.0.1 is at 127.0.0.1, a loopback, private or reserved address" in report.message
    assert "NAVETTE_HARVEST_ALLOWED_NETWORKS" in report.message
    assert partner.requests == [] and live(sessions) == set()


def test_the_allowed_networks_are_a_setting(monkeypatch):
    from navette.config import Settings

    monkeypatch.setenv("NAVETTE_HARVEST_ALLOWED_NETWORKS", "10.0.0.0/8, ::1")
    reach = Settings.from_env().fetcher().reach
    assert reach.permits("10.1.2.3") and reach.permits("::1")
    assert not reach.permits("127.0.0.1") and not reach.permits("192.168.1.1")


def test_without_the_setting_only_public_addresses_are_reached(monkeypatch):
    from navette.config import Settings

    monkeypatch.delenv("NAVETTE_HARVEST_ALLOWED_NETWORKS")
    reach = Settings.from_env().fetcher().reach
    assert reach.permits("193.48.96.10") and reach.permits("2001:660:3302::1")
    private = ("127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "0.0.0.0")
    for address in private:
        assert not reach.permits(address)


def test_an_unreadable_range_is_refused_with_the_setting_named(monkeypatch):
    from navette.config import Settings

    monkeypatch.setenv("NAVETTE_HARVEST_ALLOWED_NETWORKS", "intranet")
    with pytest.raises(ValueError, match="NAVETTE_HARVEST_ALLOWED_NETWORKS: 'intranet' is not"):
        Settings.from_env()


def test_navette_harvest_names_loopback_as_the_admin_allowed(sessions, partners, monkeypatch):
    """The command reads the setting: without loopback in it, the run fails with the reason."""
    from click.testing import CliRunner

    from navette.cli import main

    partner = partners(films(2))
    monkeypatch.setenv("NAVETTE_HARVEST_ALLOWED_NETWORKS", "10.0.0.0/8")
    url = str(sessions.kw["bind"].url.render_as_string(hide_password=False))
    monkeypatch.setenv("NAVETTE_DATABASE_URL", url)
    runner = CliRunner()
    added = runner.invoke(main, ["sources", "add", "near", partner.url, "--no-check"])
    assert added.exit_code == 0, added.output
    result = runner.invoke(main, ["harvest", "near"])
    assert result.exit_code == 2
    assert "a loopback, private or reserved address" in result.output
    assert partner.requests == []


def test_a_page_that_is_not_oai_pmh_is_reported_by_a_short_excerpt(sessions, partners):
    partner = partners(films(3))
    junk = b"<html>\x1b[2J" + SECRET + b" " * 10 + b"x" * 100_000
    partner.faults.append(lambda n, params: Reply(200, junk))
    report = run(sessions, partner, fetch=fetcher(attempts=2))
    assert report.status == "failed"
    assert "not an OAI-PMH response (it starts “<html>\\x1b[2Jinternal-service" in report.message
    assert "x" * 100 not in report.message and "\x1b" not in report.message


def test_an_excerpt_is_one_printable_line_at_most_eighty_characters():
    text = "line one\n\tline\x00two " + "é" * 500
    shown = excerpt(text)
    assert shown.startswith("line one line\\x00two é")
    assert len(shown) == 81 and shown.endswith("…") and shown.isprintable()
