"""Whatever a partner sends, a harvest's memory and time stay bounded; a good page is kept.

Each hostile partner runs on loopback HTTP.  A response over a bound is retried, then
the harvest fails with the reason in words, its checkpoint kept, and exit status 2.
"""

from __future__ import annotations

import time
import zlib
from threading import Thread

from harvester.fetch import Fetcher, Limits, RetryPolicy
from harvester.sync import Harvest
from tests.conftest import navette_under_2_gib, requires_schemas
from tests.harvest.helpers import LOOPBACK, NOW, SleepRecorder, add, live, run, source
from tests.harvest.partner import Reply, films

pytestmark = requires_schemas

MIB = 1024 * 1024


def bounded(limits: Limits, attempts: int = 2, read_timeout: float = 5.0) -> Fetcher:
    policy = RetryPolicy(attempts=attempts, connect_timeout=2.0, read_timeout=read_timeout)
    return Fetcher(policy, sleep=SleepRecorder(), jitter=lambda: 0.5, limits=limits, reach=LOOPBACK)


def on_page(number: int, reply: Reply):
    """Answers every request for the page after ``number`` pages (by resumption token)."""
    return lambda n, params: (
        reply if params.get("resumptionToken", "").split("|")[1:2] == [str(number * 3)] else None
    )


def gzip_bomb(inflated: int) -> bytes:
    """Many gzip members of zeros: a few MB that a naive reader inflates to ``inflated``."""
    member_size = 64 * MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    member = compressor.compress(bytes(member_size)) + compressor.flush()
    return member * (inflated // member_size)


def test_a_page_larger_than_the_limit_fails_the_harvest_with_the_checkpoint_kept(
    sessions, partners
):
    partner = partners(films(9))
    oversize = Reply(body=b"<OAI-PMH>" + b" " * (2 * MIB), headers={"Content-Type": "text/xml"})
    partner.faults.append(on_page(1, oversize))
    report = run(sessions, partner, fetch=bounded(Limits(max_page_bytes=MIB)))
    assert report.status == "failed"
    assert f"more than the {MIB} allowed" in report.message
    assert "NAVETTE_HARVEST_MAX_PAGE_MB" in report.message
    assert len(live(sessions)) == 3
    assert source(sessions).checkpoint["token"].split("|")[1] == "3"


def test_a_page_without_content_length_is_cut_off_at_the_limit(sessions, partners):
    partner = partners(films(9))
    endless = Reply(body=b"<OAI-PMH>" + b" " * (3 * MIB), length=False)
    partner.faults.append(on_page(1, endless))
    report = run(sessions, partner, fetch=bounded(Limits(max_page_bytes=MIB)))
    assert report.status == "failed"
    assert f"larger than the {MIB} bytes allowed" in report.message
    assert len(live(sessions)) == 3


def test_a_gzip_page_that_inflates_past_the_limit_is_refused(sessions, partners):
    partner = partners(films(9))
    bomb = Reply(body=gzip_bomb(256 * MIB), headers={"Content-Encoding": "gzip"})
    partner.faults.append(on_page(1, bomb))
    report = run(sessions, partner, fetch=bounded(Limits(max_inflated_bytes=8 * MIB)))
    assert report.status == "failed"
    assert f"inflates to more than {8 * MIB} bytes" in report.message
    assert len(live(sessions)) == 3


def test_a_page_that_drips_is_given_up_on_at_its_deadline(sessions, partners):
    partner = partners(films(9))
    body = partner.respond({"verb": "ListRecords", "metadataPrefix": "oai_dc"}).encode()
    partner.faults.append(on_page(1, Reply(body=body, drip=0.05)))
    started = time.monotonic()
    report = run(
        sessions, partner, fetch=bounded(Limits(page_deadline=1.0), attempts=2, read_timeout=30)
    )
    elapsed = time.monotonic() - started
    assert report.status == "failed"
    assert "took more than 1 s to arrive" in report.message
    assert elapsed < 6, "each try is cut at the page deadline, not at the 30 s read timeout"
    assert len(live(sessions)) == 3


def test_a_good_page_is_stored_while_the_next_one_drips(sessions, partners):
    partner = partners(films(9))
    body = partner.respond({"verb": "ListRecords", "metadataPrefix": "oai_dc"}).encode()
    partner.faults.append(on_page(1, Reply(body=body, drip=0.05)))
    fetcher = bounded(Limits(page_deadline=3.0), attempts=1, read_timeout=30)
    add(sessions, partner)
    harvest = Thread(
        target=Harvest(sessions, "partner", fetcher=fetcher, clock=lambda: NOW).run, daemon=True
    )
    harvest.start()
    deadline = time.monotonic() + 10
    while len(live(sessions)) < 3:
        assert time.monotonic() < deadline, "page 1 waited on page 2"
        time.sleep(0.05)
    checkpoint = source(sessions).checkpoint
    assert checkpoint["token"].split("|")[1] == "3" and checkpoint["counts"]["pages"] == 1
    assert harvest.is_alive(), "page 2 is still dripping: page 1 did not wait for it"
    harvest.join(timeout=15)
    assert not harvest.is_alive(), "the dripping page is given up on at its deadline"


def test_a_partner_answering_503_forever_is_given_up_on_and_resumed_later(sessions, partners):
    partner = partners(films(9))
    unavailable = Reply(503, b"down for maintenance", {"Retry-After": "3600"})
    fault = on_page(2, unavailable)
    partner.faults.append(fault)
    sleep = SleepRecorder()
    fetch = Fetcher(
        RetryPolicy(attempts=4, cap=120.0), sleep=sleep, jitter=lambda: 0.5, reach=LOOPBACK
    )
    report = run(sessions, partner, fetch=fetch)
    assert report.status == "failed" and "failed 4 times; last: HTTP 503" in report.message
    assert sleep.waits == [120.0, 120.0, 120.0], "Retry-After is capped, the tries are counted"
    assert len(live(sessions)) == 6
    partner.faults.remove(fault)
    again = run(sessions, partner)
    assert again.status == "success" and len(live(sessions)) == 9
    resumed = [r for r in partner.requests if r.get("verb") == "ListRecords"][-1]
    assert resumed["resumptionToken"].split("|")[1] == "6"


def test_a_gzip_bomb_is_refused_within_a_2_gib_address_space(tmp_path, partners):
    """3 GiB of zeros in 3 MB of gzip: refused under a hard limit, exit status 2, no crash."""
    partner = partners(films(9))
    bomb = Reply(body=gzip_bomb(3 << 30), headers={"Content-Encoding": "gzip"})
    partner.faults.append(on_page(1, bomb))
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'bomb.db'}",
        "NAVETTE_HARVEST_ATTEMPTS": "1",
        "NAVETTE_HARVEST_WORKERS": "1",
    }
    assert navette_under_2_gib("sources", "add", "p", partner.url, env=env).returncode == 0
    done = navette_under_2_gib("harvest", "p", env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "inflates to more than" in done.stdout
    assert "MemoryError" not in done.stdout + done.stderr
    assert "3 new" in done.stdout


def test_the_limits_are_settings(monkeypatch):
    from navette.config import Settings

    monkeypatch.setenv("NAVETTE_HARVEST_MAX_PAGE_MB", "8")
    monkeypatch.setenv("NAVETTE_HARVEST_MAX_INFLATED_MB", "16")
    monkeypatch.setenv("NAVETTE_HARVEST_PAGE_DEADLINE", "45")
    monkeypatch.setenv("NAVETTE_HARVEST_ATTEMPTS", "3")
    fetcher = Settings.from_env().fetcher()
    assert fetcher.limits == Limits(8 * MIB, 16 * MIB, 45.0)
    assert fetcher.policy.attempts == 3
