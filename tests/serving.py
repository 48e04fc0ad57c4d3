"""A real `navette serve` on a free loopback port, for the tests that talk HTTP to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """`navette serve` started with ``env`` added to ours; ``base`` is http://127.0.0.1:port."""

    def __init__(self, env: dict[str, str], log: Path, *options: str, workers: int = 1) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.oai = f"{self.base}/oai"
        self.log_path = log
        self.log = open(log, "w")
        command = [
            sys.executable,
            "-m",
            "navette",
            "serve",
            *options,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        self.process = subprocess.Popen(
            command, env={**os.environ, **env}, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.oai, params={"verb": "Identify"}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"navette serve did not start:\n{log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()


class Gunicorn:
    """gunicorn serving ``navette.wsgi:app`` as the compose file runs it (gthread workers,
    forwarded headers allowed), ``env`` added to ours; ``base`` like ``Served``'s."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(log, "w")
        command = [
            sys.executable, "-m", "gunicorn", f"--bind=127.0.0.1:{port}", "--workers=1",
            "--worker-class=gthread", "--threads=4", "--forwarded-allow-ips=*",
            "--access-logfile=-", "navette.wsgi:app",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env={**os.environ, **env}, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.base}/oai", params={"verb": "Identify"}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
