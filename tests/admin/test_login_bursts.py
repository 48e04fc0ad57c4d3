"""A burst of simultaneous wrong passwords gets no more checks than the throttle allows.

Before, each attempt looked for a lock, checked the password, and only then counted
its failure: two dozen attempts sent together all found the key unlocked, and 8 to 19
passwords were checked where five are allowed.  Each attempt is now counted, in one
statement, before its password is checked.  Tested through real HTTP, under `navette
serve` and under gunicorn with two processes, on both databases.
"""

from __future__ import annotations

import threading

import pytest
import requests
from werkzeug.security import generate_password_hash

from catalogue.database import open_store
from navette.admin import throttle
from tests.admin.conftest import csrf
from tests.conftest import requires_schemas
from tests.serving import Gunicorn, Served

pytestmark = requires_schemas

PASSWORD = "correct horse battery staple"
BURST = 24


@pytest.fixture(params=["navette serve", "gunicorn"])
def server(request, database_url, tmp_path):
    open_store(database_url).kw["bind"].dispose()
    env = {
        "NAVETTE_DATABASE_URL": database_url,
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
    }
    if request.param == "gunicorn":
        running = Gunicorn(env, tmp_path / "server.log", workers=2)
    else:
        running = Served(env, tmp_path / "server.log", workers=2)
    yield running
    running.stop()


def burst_of_wrong_passwords(base: str) -> list[int]:
    """``BURST`` wrong passwords from one client, released at the same instant."""
    client = requests.Session()
    token = csrf(client.get(f"{base}/admin/login", timeout=10).content)
    start = threading.Barrier(BURST)
    codes: list[int] = []

    def guess(number: int) -> None:
        data = {"user": "admin", "password": f"guess {number}", "csrf_token": token}
        start.wait()
        answer = requests.post(f"{base}/admin/login", data=data, cookies=client.cookies, timeout=60)
        codes.append(answer.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(codes)


def test_a_burst_of_wrong_passwords_gets_only_the_free_checks(server):
    codes = burst_of_wrong_passwords(server.base)
    checked = throttle.FREE_FAILURES
    assert codes == [401] * checked + [429] * (BURST - checked)


def test_after_a_burst_even_the_right_password_waits(server):
    burst_of_wrong_passwords(server.base)
    client = requests.Session()
    token = csrf(client.get(f"{server.base}/admin/login", timeout=10).content)
    answer = client.post(
        f"{server.base}/admin/login",
        data={"user": "admin", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
