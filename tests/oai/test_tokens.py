"""Resumption tokens: stateless, signed, and refused as badResumptionToken when not ours."""

from __future__ import annotations

import time

import itsdangerous.timed
import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.conftest import requires_schemas
from tests.oai.helpers import errors, harvest, identifiers, token, walk

pytestmark = requires_schemas


def _first_token(client, verb="ListRecords"):
    return token(harvest(client, verb=verb, metadataPrefix="oai_dc")).text


def test_a_tampered_token_is_a_bad_resumption_token(client, ten_films):
    original = _first_token(client)
    tampered = original[:-3] + ("AAA" if not original.endswith("AAA") else "BBB")
    assert errors(harvest(client, verb="ListRecords", resumptionToken=tampered)) == [
        "badResumptionToken"
    ]


def test_a_truncated_token_is_a_bad_resumption_token(client, ten_films):
    original = _first_token(client)
    for cut in (original[: len(original) // 2], original[:1], "", "..."):
        root = harvest(client, verb="ListRecords", resumptionToken=cut)
        assert errors(root) == ["badResumptionToken"], cut


def test_a_token_of_another_verb_is_a_bad_resumption_token(client, ten_films):
    records_token = _first_token(client, "ListRecords")
    root = harvest(client, verb="ListIdentifiers", resumptionToken=records_token)
    assert errors(root) == ["badResumptionToken"]
    root = harvest(client, verb="ListSets", resumptionToken=records_token)
    assert errors(root) == ["badResumptionToken"]


@pytest.mark.parametrize("part", ["d", "i", "c", "n", "u"])
def test_a_signed_token_missing_part_of_its_state_is_a_bad_resumption_token(
    client, ten_films, part
):
    """A token signed with our key but written by an older or broken release."""
    tokens = client.application.extensions["navette.oai"].tokens()
    state = tokens.read("ListRecords", _first_token(client))
    del state[part]
    issued = tokens.issue("ListRecords", state).token
    root = harvest(client, verb="ListRecords", resumptionToken=issued)
    assert errors(root) == ["badResumptionToken"]


def test_an_expired_token_is_a_bad_resumption_token(client, ten_films, monkeypatch):
    an_hour_ago = int(time.time()) - 3600
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: an_hour_ago
    )
    app = client.application
    app.extensions["navette.oai"].lifetime = 60
    old = _first_token(client)
    monkeypatch.undo()
    root = harvest(client, verb="ListRecords", resumptionToken=old)
    assert errors(root) == ["badResumptionToken"]
    assert "expired" in root.findtext("{http://www.openarchives.org/OAI/2.0/}error")


def test_tokens_work_across_restarts_and_processes(app_factory, ten_films):
    """Two apps on the same database, the key kept there: one's token serves the other."""
    first = app_factory(page_size=3, secret_key=None).test_client()
    second = app_factory(page_size=3, secret_key=None).test_client()
    page_token = _first_token(first)
    root = harvest(second, verb="ListRecords", resumptionToken=page_token)
    assert errors(root) == []
    assert len(identifiers(root)) == 3


def test_tokens_of_a_different_key_are_refused(app_factory, ten_films):
    ours = app_factory(page_size=3, secret_key="one").test_client()
    theirs = app_factory(page_size=3, secret_key="two").test_client()
    root = harvest(theirs, verb="ListRecords", resumptionToken=_first_token(ours))
    assert errors(root) == ["badResumptionToken"]


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_the_token_carries_the_whole_request(client, ten_films, verb):
    found, _ = walk(client, verb, metadataPrefix="oai_dc", set="series:earth-matters")
    assert len(found) == 5


def test_a_compressed_token_an_earlier_release_issued_is_still_honoured(client, ten_films):
    """Tokens were once issued with their state compressed by zlib; a walk begun before
    an upgrade goes on after it."""
    state = client.application.extensions["navette.oai"]
    tokens = state.tokens()
    issued = tokens.read("ListRecords", _first_token(client))
    earlier = URLSafeTimedSerializer(state.secret, salt="navette-oai-ListRecords").dumps(issued)
    assert earlier.startswith(".")  # itsdangerous marks a compressed payload so
    root = harvest(client, verb="ListRecords", resumptionToken=earlier)
    assert errors(root) == []
    assert identifiers(root)
