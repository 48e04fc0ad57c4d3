"""A real `navette serve` on loopback keeps answering while attackers trickle or bloat
their requests (slowloris, huge request lines).  Every loop here is bounded in time."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from tests.serving import Served

SLOW_CONNECTIONS = 200


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    served = Served({"NAVETTE_DATABASE_URL": f"sqlite:///{folder / 's.db'}"}, folder / "log")
    yield served
    served.stop()


def _timed_identify(url: str) -> float:
    started = time.monotonic()
    response = requests.get(url, params={"verb": "Identify"}, timeout=5)
    assert response.status_code == 200 and b"<Identify>" in response.content
    return time.monotonic() - started


def test_normal_requests_are_answered_within_a_second_beside_200_slow_connections(server):
    port = int(server.base.rsplit(":", 1)[1])
    request = b"GET /oai?verb=Identify HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 200
    sockets = []
    for _ in range(SLOW_CONNECTIONS):
        sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    stop = threading.Event()

    def trickle() -> None:
        """One byte per connection per round, for at most ten seconds."""
        deadline = time.monotonic() + 10
        for position in range(len(request)):
            if stop.is_set() or time.monotonic() > deadline:
                return
            for connection in sockets:
                try:
                    connection.send(request[position : position + 1])
                except OSError:
                    pass
            time.sleep(0.05)

    attacker = threading.Thread(target=trickle, daemon=True)
    attacker.start()
    try:
        time.sleep(1)
        waits = [_timed_identify(server.oai) for _ in range(5)]
    finally:
        stop.set()
        attacker.join(timeout=15)
        for connection in sockets:
            connection.close()
    assert max(waits) < 1.0, f"normal requests waited {waits}"


def test_a_huge_request_line_is_refused_at_once_and_costs_nothing(server):
    port = int(server.base.rsplit(":", 1)[1])
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        try:
            connection.sendall(b"GET /oai?verb=Identify&x=" + b"x" * (16 * 1024 * 1024))
        except OSError:
            pass  # refused before we finished sending: that is the point
        answer = connection.recv(200)
    assert b" 431 " in answer.split(b"\r\n")[0], answer
    assert time.monotonic() - started < 5
    assert _timed_identify(server.oai) < 1.0
