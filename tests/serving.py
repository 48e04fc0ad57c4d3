"""A real `navette serve` on a free loopback port, for the tests that talk HTTP to it."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Server:
    """A server process on a free loopback port, started and waited for until its OAI
    endpoint answers Identify (it fails, with its log, if it never does)."""

    name = "the server"

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.oai = f"{self.base}/oai"
        self.log_path = log
        self.log = open(log, "w")

    def _start(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command, env={**os.environ, **env}, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.oai, params={"verb": "Identify"}, timeout=2).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or busy starting (a first request makes the schema)
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"{self.name} did not start:\n{self.log_path.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()


class Served(_Server):
    """`navette serve` started with ``env`` added to ours; ``base`` is http://127.0.0.1:port."""

    name = "navette serve"

    def __init__(self, env: dict[str, str], log: Path, *options: str, workers: int = 1) -> None:
        super().__init__(log)
        command = [
            sys.executable,
            "-m",
            "navette",
            "serve",
            *options,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
        ]
        self._start(command, env)


class Gunicorn(_Server):
    """gunicorn serving ``navette.wsgi:app`` as the compose file runs it (gthread workers,
    forwarded headers allowed), ``env`` added to ours; ``base`` like ``Served``'s."""

    name = "gunicorn"

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1) -> None:
        super().__init__(log)
        command = [
            sys.executable, "-m", "gunicorn", f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}",
            "--worker-class=gthread", "--threads=4", "--forwarded-allow-ips=*",
            "--access-logfile=-", "navette.wsgi:app",
        ]  # fmt: skip
        self._start(command, env)


@contextmanager
def serving_folder(folder: Path) -> Iterator[str]:
    """The files of ``folder`` served on a free loopback port, as a static site; its
    address (http://127.0.0.1:port)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
