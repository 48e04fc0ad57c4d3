"""Failures said in words everywhere a person reads them: the command line, the run
reports, `navette check`, the admin pages.  No user-facing text carries an
exception's repr, an escaped newline or a traceback (``protocol.failures``)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from click.testing import CliRunner
from lxml import etree

from navette.cli import main
from protocol.failures import in_words, looks_like_code
from tests.conftest import requires_schemas
from tests.serving import free_port

pytestmark = requires_schemas


def refused_url() -> str:
    """An address on this machine where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/oai"


@pytest.fixture
def web_page():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = b"<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def cli(cli, monkeypatch):
    """The suite's `navette` runner, trying a partner once (a refusal is not retried)."""
    monkeypatch.setenv("NAVETTE_HARVEST_ATTEMPTS", "1")
    return cli


def test_a_refused_connection_is_said_with_where_and_what_to_check():
    url = refused_url()
    try:
        requests.get(url, timeout=2)
    except requests.ConnectionError as error:
        said = in_words(error, url)
    port = url.split(":")[2].split("/")[0]
    assert said == (
        f"the partner did not answer: connection refused at 127.0.0.1:{port}; is the URL right?"
    )


def test_an_unknown_host_is_said_to_be_unknown():
    url = "http://no-such-host.invalid/oai"
    try:
        requests.get(url, timeout=5)
    except requests.ConnectionError as error:
        said = in_words(error, url)
    assert said == "the host name no-such-host.invalid could not be found (DNS): is the URL right?"


def test_broken_xml_is_said_with_its_line_and_column():
    try:
        etree.fromstring(b"<a>\n<b></a>")
    except etree.XMLSyntaxError as error:
        said = in_words(error)
    assert said.startswith("not well-formed XML at line 2, column ")
    assert "<string>" not in said


def test_a_timeout_is_said_as_a_partner_that_stopped_sending():
    assert in_words(TimeoutError("timed out"), "http://archive.example.org/oai") == (
        "the partner at archive.example.org:80 stopped sending before the response was complete"
    )


def test_adding_a_source_that_refuses_says_so_in_words(cli):
    result = cli("sources", "add", "gone", refused_url())
    assert result.exit_code == 2 and "connection refused at 127.0.0.1:" in result.output
    assert not looks_like_code(result.output)


def test_a_failed_harvest_reports_in_words_on_the_terminal_and_in_the_store(cli):
    cli("sources", "add", "gone", refused_url(), "--no-check")
    result = cli("harvest", "gone")
    assert result.exit_code == 2 and "connection refused at 127.0.0.1:" in result.output
    shown = cli("sources", "show", "gone").output
    assert "connection refused" in shown
    assert not looks_like_code(result.output) and not looks_like_code(shown)


def test_check_of_a_web_page_says_it_is_a_web_page(web_page):
    result = CliRunner().invoke(main, ["check", web_page])
    assert "an HTML page, not an OAI-PMH response" in result.output
    assert "StartTag" not in result.output and not looks_like_code(result.output)


def test_the_admin_sources_page_shows_a_failure_in_words(cli, database_url):

    from tests.admin.conftest import console_of

    cli("sources", "add", "gone", refused_url(), "--no-check")
    cli("harvest", "gone")
    with console_of(database_url) as client:
        text = client.get("/admin/").get_data(as_text=True)
    assert "connection refused at 127.0.0.1:" in text and not looks_like_code(text)
