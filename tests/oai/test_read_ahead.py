"""A list's next page read ahead (oai.read_ahead): the same answers as without it, and
never a page the store has changed under since it was read; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest

from catalogue.model import Text
from oai.read_ahead import KEPT
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, T0, check, oai_id

RESPONSE_DATE = re.compile(rb"<responseDate>[^<]*</responseDate>")
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
#: What two walks a second apart write differently: the tokens (signed with the time),
#: their expiry and the requests that echo them.
SIGNED = re.compile(
    rb' expirationDate="[^"]*"| resumptionToken="[^"]*"|(?<=>)[^<]+(?=</resumptionToken>)'
)


def _page(client, **arguments) -> bytes:
    """The answer, closed as a WSGI server closes it once sent (the next page is read
    ahead then), without its responseDate."""
    with client.get("/oai", query_string=arguments) as response:
        check(response)
        return RESPONSE_DATE.sub(b"", response.data)


def _walk(app, verb: str, prefix: str) -> list[bytes]:
    """Every page of the list; each page read ahead is read before the next request
    (a harvester on the wire is slower than the test client)."""
    client, ahead = app.test_client(), _ahead(app)
    pages = [_page(client, verb=verb, metadataPrefix=prefix)]
    while (found := TOKEN.search(pages[-1])) is not None:
        if ahead is not None:
            ahead.settled()
        pages.append(_page(client, verb=verb, resumptionToken=found[1].decode()))
    return [SIGNED.sub(b"", page) for page in pages]


def _ahead(app):
    return app.extensions["navette.oai"].read_ahead


@pytest.mark.parametrize(
    ("verb", "prefix"), [("ListRecords", "oai_dc"), ("ListIdentifiers", "ebucore")]
)
@requires_schemas
def test_a_walk_reads_ahead_the_very_pages_it_would_read(
    app_factory, ten_films, database_url, verb, prefix
):
    plain = app_factory(page_size=3, identifiers_page_size=3)
    ahead = app_factory(page_size=3, identifiers_page_size=3, read_ahead=True)
    assert _walk(ahead, verb, prefix) == _walk(plain, verb, prefix)
    # Four pages: the third and the fourth were read ahead, once the second was asked for.
    read_ahead = _ahead(ahead)
    if database_url.startswith("sqlite"):
        assert read_ahead.served == 2
    else:
        # PostgreSQL's snapshot moves with any writer on the server (the other tests'):
        # a page read ahead is then read again, which the answers above show is safe.
        assert read_ahead.served + read_ahead.stale == 2
    assert _ahead(plain) is None


def _second_page(client) -> bytes:
    first = _page(client, verb="ListRecords", metadataPrefix="oai_dc")
    return _page(client, verb="ListRecords", resumptionToken=TOKEN.search(first)[1].decode())


@requires_schemas
def test_a_page_read_before_a_commit_is_read_again(app_factory, ten_films):
    app = app_factory(page_size=3, read_ahead=True)
    client = app.test_client()
    second = _second_page(client)
    _ahead(app).settled()
    # film-07, on the third page, changes: its new datestamp puts it at the list's end.
    ten_films.write("film-07", T0 + timedelta(days=1), titles=[Text("Changed", "en")])
    third = _page(client, verb="ListRecords", resumptionToken=TOKEN.search(second)[1].decode())
    assert oai_id("film-07").encode() not in third
    assert oai_id("film-08").encode() in third
    assert (_ahead(app).served, _ahead(app).stale) == (0, 1)


@requires_schemas
def test_a_commit_after_a_chain_of_pages_read_ahead_has_the_next_read_again(
    app_factory, ten_films, database_url
):
    """The fourth page is read ahead with the mark the third was served under."""
    app = app_factory(page_size=2, read_ahead=True)
    client, ahead = app.test_client(), _ahead(app)
    second = _second_page(client)
    ahead.settled()
    third = _page(client, verb="ListRecords", resumptionToken=TOKEN.search(second)[1].decode())
    ahead.settled()
    # film-07, on the fourth page, changes: its new datestamp puts it at the list's end.
    ten_films.write("film-07", T0 + timedelta(days=1), titles=[Text("Changed", "en")])
    fourth = _page(client, verb="ListRecords", resumptionToken=TOKEN.search(third)[1].decode())
    assert oai_id("film-07").encode() not in fourth
    assert oai_id("film-08").encode() in fourth
    if database_url.startswith("sqlite"):
        assert (ahead.served, ahead.stale) == (1, 1)
    else:
        # Other writers on the server may have made the third page stale too.
        assert ahead.stale >= 1


@requires_schemas
def test_an_expired_token_is_refused_though_its_page_was_read_ahead(app_factory, ten_films):
    app = app_factory(page_size=3, read_ahead=True, token_lifetime=1)
    client = app.test_client()
    second = _second_page(client)
    _ahead(app).settled()
    time.sleep(2.1)
    token = TOKEN.search(second)[1].decode()
    response = client.get("/oai", query_string={"verb": "ListRecords", "resumptionToken": token})
    root = check(response)
    assert [e.get("code") for e in root.iterfind("oai:error", NS)] == ["badResumptionToken"]
    assert _ahead(app).served == 0


@requires_schemas
def test_a_first_page_asked_for_and_left_reads_nothing_ahead(app_factory, ten_films):
    app = app_factory(page_size=3, read_ahead=True)
    _page(app.test_client(), verb="ListRecords", metadataPrefix="oai_dc")
    assert _ahead(app).waiting() == 0


@requires_schemas
def test_only_the_last_few_pages_read_ahead_are_kept(app_factory, ten_films):
    app = app_factory(page_size=1, read_ahead=True)
    client = app.test_client()
    for _ in range(10):
        # Harvesters that each read two pages and go away.
        _second_page(client)
    assert _ahead(app).waiting() <= KEPT
