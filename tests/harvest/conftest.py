"""Fixtures: fake partners on loopback HTTP and a harvester that does not really sleep."""

from __future__ import annotations

import pytest

from tests.harvest.partner import Partner


@pytest.fixture
def partners():
    started: list[Partner] = []

    def start(*args, **kwargs) -> Partner:
        partner = Partner(*args, **kwargs)
        started.append(partner)
        return partner

    yield start
    for partner in started:
        partner.stop()
