"""A request framed two ways (both Content-Length and Transfer-Encoding) is refused with
400 and its connection closed, so a request hidden in its body is never answered
(RFC 9112, section 6.1; issue 34).  Over raw sockets, under both servers."""

from __future__ import annotations

import socket
import time

import pytest

from tests.serving import Gunicorn, Served

HIDDEN = "GET /oai?verb=Identify&smuggled=1 HTTP/1.1\r\nHost: x\r\n\r\n"


def _exchange(base: str, request: str) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(request.encode())
        received, deadline = b"", time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
    return received


def _statuses(answer: bytes) -> list[bytes]:
    return [line for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]


@pytest.fixture(params=["navette serve", "gunicorn"])
def server(request, tmp_path):
    env = {"NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'smuggle.db'}"}
    kind = Served if request.param == "navette serve" else Gunicorn
    served = kind(env, tmp_path / "server.log")
    yield served
    served.stop()


def test_a_request_with_both_framings_is_refused_and_what_it_hides_is_not_answered(server):
    body = f"0\r\n\r\n{HIDDEN}"
    answer = _exchange(
        server.base,
        "POST /oai HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n\r\n{body}",
    )
    assert _statuses(answer) == [b"HTTP/1.1 400 Bad Request"]


def test_a_chunked_body_that_is_not_chunked_is_refused_by_navette_serve(tmp_path):
    served = Served({"NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"}, tmp_path / "l")
    try:
        answer = _exchange(
            served.base,
            "POST /oai HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            "zz\r\nverb\r\n0\r\n\r\n",
        )
    finally:
        served.stop()
    assert _statuses(answer)[0].startswith(b"HTTP/1.1 400")
