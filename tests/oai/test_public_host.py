"""Absolute URLs come from the configured public address, not from the request's Host or
a forwarded host (issue 34): under `navette serve` and under gunicorn, over real HTTP."""

from __future__ import annotations

import pytest
import requests

from tests.serving import Gunicorn, Served

PUBLIC = "https://films.example.org"


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
    served = Gunicorn(env, tmp_path / "gunicorn.log")
    yield served.base
    served.stop()


@pytest.mark.parametrize(
    "headers", [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}]
)
def test_a_redirect_points_at_the_public_address_whatever_the_host_said(server, headers):
    response = requests.get(f"{server}/admin", headers=headers, allow_redirects=False, timeout=10)
    assert response.status_code in (301, 302, 308)
    location = response.headers["Location"]
    assert "evil.example" not in location
    assert location.startswith((PUBLIC, "/"))
