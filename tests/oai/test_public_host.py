"""Absolute URLs come from the configured public address, not from the request's Host or
a forwarded host (issue 34): under `navette serve` and under gunicorn, over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import ROOT
from tests.serving import Served, free_port

PUBLIC = "https://films.example.org"


def _gunicorn(env: dict[str, str], log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", f"--bind=127.0.0.1:{port}", "--workers=1",
        "--forwarded-allow-ips=*", "navette.wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env={**os.environ, **env}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/oai", params={"verb": "Identify"}, timeout=2).ok:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("gunicorn did not start")


@pytest.fixture(params=["navette serve", "gunicorn"])
def server(request, tmp_path):
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'host.db'}",
        "NAVETTE_PUBLIC_URL": PUBLIC,
        "NAVETTE_TRUSTED_PROXIES": "1",
    }
    if request.param == "navette serve":
        served = Served(env, tmp_path / "serve.log")
        yield served.base
        served.stop()
        return
    with open(tmp_path / "gunicorn.log", "w") as log:
        process, base = _gunicorn(env, log)
        yield base
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    "headers", [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}]
)
def test_a_redirect_points_at_the_public_address_whatever_the_host_said(server, headers):
    response = requests.get(f"{server}/admin", headers=headers, allow_redirects=False, timeout=10)
    assert response.status_code in (301, 302, 308)
    location = response.headers["Location"]
    assert "evil.example" not in location
    assert location.startswith((PUBLIC, "/"))
