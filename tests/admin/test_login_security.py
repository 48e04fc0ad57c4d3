"""The admin login resists guessing, ends on logout for every copy of the cookie, lasts a
set time, and marks its cookie Secure behind HTTPS."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import update
from werkzeug.security import generate_password_hash

from catalogue.tables import AdminSession, LoginAttempts
from navette.admin import throttle
from navette.app import create_app
from navette.config import Settings
from tests.admin.conftest import PASSWORD, csrf
from tests.conftest import requires_schemas

pytestmark = requires_schemas


def attempt(client, password: str, user: str = "admin", address: str = "192.0.2.1"):
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"user": user, "password": password, "csrf_token": csrf(page.data)},
        environ_base={"REMOTE_ADDR": address},
    )


def sessions_of(app):
    return app.extensions["navette.sessions"]


def test_after_five_failures_even_the_right_password_waits(app, caplog):
    client = app.test_client()
    caplog.set_level(logging.WARNING, logger="navette.admin")
    codes = [attempt(client, "wrong").status_code for _ in range(throttle.FREE_FAILURES)]
    assert codes == [401] * throttle.FREE_FAILURES
    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 30
    assert b"Too many failed logins" in refused.data
    assert "locked for 30 s after 5 attempts" in caplog.text


def test_guesses_from_many_addresses_lock_the_user_name(app):
    client = app.test_client()
    for number in range(throttle.FREE_FAILURES):
        attempt(client, "wrong", address=f"198.51.100.{number}")
    assert attempt(client, PASSWORD, address="203.0.113.9").status_code == 429


def test_each_lock_lasts_twice_the_last(app):
    client = app.test_client()
    for _ in range(throttle.FREE_FAILURES):
        attempt(client, "wrong")
    with sessions_of(app).begin() as db:
        db.execute(update(LoginAttempts).values(locked_until=None))
    attempt(client, "wrong")
    with sessions_of(app)() as db:
        row = db.get(LoginAttempts, "address:192.0.2.1")
        assert row.locked_until - row.last_failure == timedelta(seconds=60)


def test_once_the_lock_is_over_the_right_password_opens_and_clears_the_count(app):
    client = app.test_client()
    for _ in range(throttle.FREE_FAILURES):
        attempt(client, "wrong")
    with sessions_of(app).begin() as db:
        db.execute(update(LoginAttempts).values(locked_until=None))
    assert attempt(client, PASSWORD).status_code == 302
    with sessions_of(app)() as db:
        assert db.query(LoginAttempts).count() == 0


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, logged_in):
    cookie = logged_in.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/admin/deletions").status_code == 200
    page = logged_in.get("/admin/")
    logged_in.post("/admin/logout", data={"csrf_token": csrf(page.data)})
    assert thief.get("/admin/deletions").status_code == 302


def test_a_session_ends_when_its_lifetime_runs_out(app, logged_in):
    assert logged_in.get("/admin/deletions").status_code == 200
    with sessions_of(app).begin() as db:
        db.execute(update(AdminSession).values(expires=AdminSession.created))
    assert logged_in.get("/admin/deletions").status_code == 302


def _login_cookie(store_url, secure: str, proxies: int, headers: dict) -> str:
    app = create_app(
        Settings(
            database_url=store_url,
            secret_key="k",
            admin_password_hash=generate_password_hash(PASSWORD),
            session_cookie_secure=secure,
            trusted_proxies=proxies,
        )
    )
    client = app.test_client()
    page = client.get("/admin/login", headers=headers)
    response = client.post(
        "/admin/login",
        data={"user": "admin", "password": PASSWORD, "csrf_token": csrf(page.data)},
        headers=headers,
    )
    sessions_of(app).kw["bind"].dispose()
    return response.headers["Set-Cookie"]


HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}


@pytest.mark.parametrize(
    ("secure", "proxies", "headers", "marked"),
    [
        ("auto", 1, HTTPS_PROXY, True),
        ("auto", 0, HTTPS_PROXY, False),
        ("auto", 1, {}, False),
        ("on", 0, {}, True),
        ("off", 1, HTTPS_PROXY, False),
    ],
    ids=["https-through-trusted-proxy", "untrusted-header", "plain-http", "on", "off"],
)
def test_the_session_cookie_is_secure_as_configured(store_url, secure, proxies, headers, marked):
    cookie = _login_cookie(store_url, secure, proxies, headers)
    assert ("; Secure" in cookie) is marked
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_the_login_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NAVETTE_SESSION_COOKIE_SECURE", "ON")
    monkeypatch.setenv("NAVETTE_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("NAVETTE_ADMIN_SESSION_MINUTES", "30")
    settings = Settings.from_env()
    assert (settings.session_cookie_secure, settings.trusted_proxies) == ("on", 1)
    assert settings.admin_session_minutes == 30
    monkeypatch.setenv("NAVETTE_SESSION_COOKIE_SECURE", "sometimes")
    with pytest.raises(ValueError, match="auto, on or off"):
        Settings.from_env()


def test_a_request_without_a_cookie_is_answered_without_one(app):
    response = app.test_client().get("/oai", query_string={"verb": "Identify"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_forged_cookie_opens_nothing(app):
    client = app.test_client()
    client.set_cookie("session", "eyJ1c2VyIjoiYWRtaW4ifQ.forged.signature")
    assert client.get("/admin/deletions").status_code == 302
