"""Several workers share the sources through the database and never harvest one twice at once."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select

from catalogue.tables import HarvestRun
from harvester import lease, state
from harvester.schedule import work
from harvester.sync import Harvest, SourceBusy
from tests.conftest import requires_schemas
from tests.harvest.helpers import NOW, add, fetcher
from tests.harvest.partner import films

pytestmark = requires_schemas


def test_a_lease_is_held_by_one_owner_at_a_time(sessions, partners):
    add(sessions, partners(films(1)))
    with sessions.begin() as session:
        assert lease.claim(session, "partner", "worker-a", NOW)
    with sessions.begin() as session:
        assert not lease.claim(session, "partner", "worker-b", NOW)
    with sessions.begin() as session:
        lease.release(session, "partner", "worker-a")
    with sessions.begin() as session:
        assert lease.claim(session, "partner", "worker-b", NOW)


def test_a_second_harvest_of_a_busy_source_is_refused(sessions, partners):
    add(sessions, partners(films(1)))
    with sessions.begin() as session:
        lease.claim(session, "partner", "someone-else", NOW)
    try:
        Harvest(sessions, "partner", fetcher=fetcher(), clock=lambda: NOW).run()
    except SourceBusy as error:
        assert "someone-else" in str(error)
    else:
        raise AssertionError("the busy source was harvested")


def test_an_expired_lease_can_be_taken_over(sessions, partners):
    add(sessions, partners(films(1)))
    with sessions.begin() as session:
        lease.claim(session, "partner", "dead-worker", datetime(2000, 1, 1))
    with sessions.begin() as session:
        assert lease.claim(session, "partner", "worker-b", NOW)


def test_concurrent_workers_harvest_each_due_source_exactly_once(sessions, partners):
    partner = partners(films(9), page_size=2)
    partner.page_delay = 0.02
    names = [f"s{n}" for n in range(4)]
    for name in names:
        add(sessions, partner, name, schedule="0 3 * * *")
    with sessions.begin() as session:
        for name in names:
            state.get_source(session, name).next_run = datetime(2000, 1, 1)

    results: list[int] = []

    def worker(owner: str) -> None:
        results.append(work(sessions, once=True, clock=lambda: NOW, owner=owner, fetcher=fetcher))

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(results) == 4
    with sessions() as session:
        counted = session.execute(
            select(HarvestRun.source, func.count())
            .where(HarvestRun.status == "success")
            .group_by(HarvestRun.source)
        ).all()
    per_source = dict(counted)
    assert per_source == dict.fromkeys(names, 1)


def test_a_source_another_worker_just_finished_is_not_due_once_claimed(sessions, partners):
    add(sessions, partners(films(1)), schedule="0 3 * * *")
    with sessions.begin() as session:
        state.get_source(session, "partner").next_run = datetime(2000, 1, 1)
    with sessions.begin() as session:
        assert state.due_source(session, NOW) == "partner"
    Harvest(sessions, "partner", fetcher=fetcher(), clock=lambda: NOW).run()
    with sessions.begin() as session:
        assert lease.claim(session, "partner", "late-worker", NOW)
        assert not state.still_due(session, "partner", NOW)
