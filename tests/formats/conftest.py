"""The seed and the demo catalogue rendered as published with a public site and rights."""

from __future__ import annotations

import pytest
from lxml import etree

from ingest.readers import Read, read_paths
from mappings.formats import render
from mappings.publication import Publication
from navette.demo import demo_files

SITE = "https://films.example.org"
RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"
PUBLICATION = Publication(SITE, RIGHTS, "Navette video library")
LANDING = f"{SITE}/records/cnrs-6764"


@pytest.fixture
def seed_in(seed_record):
    """The seed in a format, as an element."""

    def rendered(prefix: str) -> etree._Element:
        return etree.fromstring(render(seed_record, prefix, PUBLICATION).encode())

    return rendered


@pytest.fixture(scope="session")
def demo_records():
    """Every record of the demo catalogue, as import reads it."""
    return [item.record for item in read_paths(demo_files()) if isinstance(item, Read)]
