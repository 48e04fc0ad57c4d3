"""`navette serve` behind a reverse proxy (issue 34): with NAVETTE_TRUSTED_PROXIES set, the
client address and scheme the proxy forwards reach the app, as under gunicorn.  Tested
through a real proxy hop on loopback that does what nginx's usual configuration does."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.admin.conftest import csrf
from tests.serving import Served

PASSWORD = "correct horse"
#: Hop-by-hop headers, and what requests undoes (gzip) so the length must be made again.
_NOT_FORWARDED = {
    "connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length",
}  # fmt: skip


class Hop:
    """A reverse proxy: X-Forwarded-For is the client's address (here the X-Test-Client
    header stands for it), X-Forwarded-Proto says https, as nginx behind TLS."""

    def __init__(self, backend: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() != "x-test-client"}
                headers["X-Forwarded-For"] = self.headers.get("X-Test-Client", "192.0.2.1")
                headers["X-Forwarded-Proto"] = "https"
                answer = requests.request(
                    self.command, backend + self.path, headers=headers, data=body,
                    allow_redirects=False, timeout=10,
                )  # fmt: skip
                self.send_response(answer.status_code)
                for name, value in answer.raw.headers.items():
                    if name.lower() not in _NOT_FORWARDED:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxied(tmp_path):
    served = Served(
        {
            "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'proxied.db'}",
            "NAVETTE_TRUSTED_PROXIES": "1",
            "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        },
        tmp_path / "serve.log",
    )
    hop = Hop(served.base)
    yield hop.url
    hop.stop()
    served.stop()


def _login(url: str, client: str, user: str, password: str) -> requests.Response:
    """A login from one client, its session cookie sent back by hand (it is Secure, and
    the hop itself speaks plain HTTP on loopback)."""
    page = requests.get(f"{url}/admin/login", headers={"X-Test-Client": client}, timeout=10)
    cookie = "; ".join(f"{c.name}={c.value}" for c in page.cookies)
    return requests.post(
        f"{url}/admin/login",
        data={"user": user, "password": password, "csrf_token": csrf(page.content)},
        headers={"X-Test-Client": client, "Cookie": cookie},
        allow_redirects=False,
        timeout=10,
    )


def test_failed_logins_from_one_client_lock_that_client_only(proxied):
    for attempt in range(5):
        assert _login(proxied, "203.0.113.7", f"guess{attempt}", "wrong").status_code == 401
    assert _login(proxied, "203.0.113.7", "guess5", "wrong").status_code == 429
    assert _login(proxied, "198.51.100.4", "admin", PASSWORD).status_code == 302


def test_the_admin_cookie_is_secure_when_the_proxy_says_https(proxied):
    response = _login(proxied, "203.0.113.9", "admin", PASSWORD)
    assert response.status_code == 302
    assert "secure" in response.headers["Set-Cookie"].lower()
