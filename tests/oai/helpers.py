"""Helpers for the OAI-PMH tests: a catalogue written at chosen times, and requests.

``harvest`` sends a request through the real Flask app and checks every response
against the official OAI-PMH schema with its payload schemas (oai_dc, EBUCore,
oai-identifier, provenance) before handing it back.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from lxml import etree

from catalogue import store
from mappings.formats import render_all
from mappings.provenance import about_xml
from navette.app import create_app
from navette.config import Settings
from protocol.namespaces import OAI
from schemas import validators

NS = {"oai": OAI}
REPOSITORY = "videotheque.example.org"
T0 = datetime(2024, 3, 1, 12, 0, 0)


def oai_id(local: str) -> str:
    return f"oai:{REPOSITORY}:{local}"


class Catalogue:
    """The store behind the app, with helpers to write records at chosen times."""

    def __init__(self, sessions, template):
        self.sessions = sessions
        self.template = template

    def write(self, identifier: str, at: datetime, **changes) -> None:
        record = dataclasses.replace(self.template, identifier=identifier, **changes)
        with self.sessions.begin() as session:
            store.save(
                session,
                [store.Written(record, render_all(record), about=about_xml(record.provenance))],
                now=at,
            )

    def delete(self, identifier: str, at: datetime) -> None:
        with self.sessions.begin() as session:
            store.delete_record(session, identifier, now=at)


def make_app(url: str, **settings):
    return create_app(
        Settings(
            database_url=url,
            repository_identifier=REPOSITORY,
            repository_name="Vidéothèque test",
            admin_emails=["archive@videotheque.example.org"],
            secret_key=settings.pop("secret_key", "test-secret"),
            **settings,
        )
    )


def check(response) -> etree._Element:
    """The parsed response, after checking HTTP and the official schemas."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.data)
    problems = validators.quick_problems(root, validators.oai_schema_for(root))
    assert problems == [], problems
    return root


def harvest(client, method: str = "GET", **arguments) -> etree._Element:
    if method == "POST":
        return check(client.post("/oai", data=arguments))
    return check(client.get("/oai", query_string=arguments))


def errors(root: etree._Element) -> list[str]:
    return [e.get("code") for e in root.findall("oai:error", NS)]


def identifiers(root: etree._Element) -> list[str]:
    return [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]


def token(root: etree._Element) -> etree._Element | None:
    return root.find(".//oai:resumptionToken", NS)


def walk(client, verb: str, **arguments) -> tuple[list[str], list[etree._Element]]:
    """Every identifier of a complete list, following tokens, and the pages seen."""
    pages = [harvest(client, verb=verb, **arguments)]
    while (element := token(pages[-1])) is not None and element.text:
        pages.append(harvest(client, verb=verb, resumptionToken=element.text))
    return [i for page in pages for i in identifiers(page)], pages
