"""The compose file's proxy and web server, run as written: nginx with the site the
file configures, in front of gunicorn with the file's command and environment.

No Docker engine runs here, so each is started on loopback with only its addresses
changed.  Through that real hop the app must see each client's own address (a guesser
locks out only itself, however it forges X-Forwarded-For), the scheme nginx saw (a
client's X-Forwarded-Proto is not believed), and the configured public address in
redirects (a client's Host or X-Forwarded-Host cannot move them).  Clients are told
apart by the loopback address they send from (127.0.0.7, 127.0.0.8).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pytest
import requests
import yaml
from requests.adapters import HTTPAdapter
from werkzeug.security import generate_password_hash

from tests.admin.conftest import csrf
from tests.conftest import ROOT
from tests.serving import _Server, free_port

NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if shutil.os.path.exists(path)), None
)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx-light runs this test)"
)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
PASSWORD = "correct horse battery staple"
PUBLIC = "http://catalogue.example.org"


def compose_environment() -> dict[str, str]:
    """The web service's environment, with compose's ${VAR:-default} read as the default."""
    environment = {}
    for name, value in COMPOSE["services"]["web"]["environment"].items():
        environment[name] = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))
    return environment


class ComposeWeb(_Server):
    """The web service's command, bound to loopback with one worker process."""

    name = "the compose file's gunicorn"

    def __init__(self, env: dict[str, str], log) -> None:
        super().__init__(log)
        command = list(COMPOSE["services"]["web"]["command"])
        assert command[0] == "gunicorn"
        command = [
            f"--bind=127.0.0.1:{self.port}" if part.startswith("--bind=") else part
            for part in command[1:]
        ]
        command = ["--workers=1" if part.startswith("--workers=") else part for part in command]
        self._start([sys.executable, "-m", "gunicorn", *command], env)


class ComposeProxy:
    """nginx running the compose file's site, listening on loopback, in front of ``backend``."""

    def __init__(self, backend: str, folder) -> None:
        site = COMPOSE["configs"]["nginx-site"]["content"].replace("$$", "$")
        self.port = free_port()
        site = site.replace("listen 8080;", f"listen 127.0.0.1:{self.port};")
        site = site.replace("http://web:8000", backend)
        (folder / "site.conf").write_text(site)
        (folder / "nginx.conf").write_text(
            f"daemon off; worker_processes 1; user root; pid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log;\n"
            "events { worker_connections 64; }\n"
            f"http {{ access_log {folder}/access.log; client_body_temp_path {folder}/body;\n"
            f"proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fastcgi;\n"
            f"uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;\n"
            f"include {folder}/site.conf; }}\n"
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/oai?verb=Identify", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"nginx did not start:\n{(folder / 'error.log').read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


class _From(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(address: str) -> requests.Session:
    """A browser on this machine that connects from ``address`` (any of 127.0.0.0/8)."""
    session = requests.Session()
    session.mount("http://", _From(address))
    return session


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compose")
    env = {
        **compose_environment(),
        "NAVETTE_DATABASE_URL": f"sqlite:///{folder / 'navette.db'}",
        "NAVETTE_SCHEMA_DIR": str(ROOT.parent / "shared" / "schemas"),
        "NAVETTE_SECRET_KEY": "a long random string for this test only",
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "NAVETTE_BASE_URL": f"{PUBLIC}/oai",
        "NAVETTE_PUBLIC_URL": PUBLIC,
    }
    web = ComposeWeb(env, folder / "gunicorn.log")
    nginx = ComposeProxy(web.base, folder)
    yield nginx.url
    nginx.stop()
    web.stop()


def login(
    browser: requests.Session, url: str, password: str, user: str = "admin", **headers
) -> requests.Response:
    token = csrf(browser.get(f"{url}/admin/login", timeout=10).content)
    return browser.post(
        f"{url}/admin/login",
        data={"user": user, "password": password, "csrf_token": token},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def test_the_compose_file_trusts_exactly_the_one_proxy_it_runs():
    assert compose_environment()["NAVETTE_TRUSTED_PROXIES"] == "1"


def test_a_guesser_behind_the_proxy_locks_out_only_itself(proxy):
    """Each guess tries another user name, so only the address can lock it out."""
    guesser = client("127.0.0.7")
    for number in range(5):
        forged = {"X-Forwarded-For": f"203.0.113.{number}"}
        assert login(guesser, proxy, "wrong", f"guess{number}", **forged).status_code == 401
    forged = {"X-Forwarded-For": "198.51.100.1"}
    assert login(guesser, proxy, "wrong", "guess5", **forged).status_code == 429
    assert login(client("127.0.0.8"), proxy, PASSWORD).status_code == 302


def test_a_client_cannot_claim_https_through_the_proxy(proxy):
    answer = login(client("127.0.0.9"), proxy, PASSWORD, **{"X-Forwarded-Proto": "https"})
    assert answer.status_code == 302
    assert "secure" not in answer.headers["Set-Cookie"].lower()


@pytest.mark.parametrize(
    "headers", [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}]
)
def test_redirects_go_to_the_public_address_whatever_the_client_says(proxy, headers):
    answer = client("127.0.0.10").get(
        f"{proxy}/admin", headers=headers, allow_redirects=False, timeout=10
    )
    assert answer.status_code in (301, 302, 308)
    assert answer.headers["Location"].startswith(PUBLIC) or answer.headers["Location"].startswith(
        "/"
    )
    assert "evil" not in answer.headers["Location"]
